// The 会员分析 calls against the shared fetch stub: paths with the list state, bearer, bodies and answers.
import { DEFAULT_RFM_SETTINGS } from '@member-hub/shared';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import {
  churnPath,
  getRfmSettings,
  getRfmSummary,
  listChurnWarnings,
  listRfmMembers,
  recomputeRfm,
  rfmMembersPath,
  saveRfmSettings,
} from './rfm';

const fetchMock = stubFetch();
const sent = () => sentRequest(fetchMock);

const member = {
  memberId: '65f0c0ffee0000000000aaaa',
  memberNo: '10000001',
  nickname: null,
  r: 5,
  f: 4,
  m: 3,
  class: 'important_value',
  className: '重要价值',
  lastVisitAt: '2030-01-01T00:00:00.000Z',
  recencyDays: 3,
  orders: 4,
  spendFen: 40_000,
  churn: false,
};

describe('rfm', () => {
  it('reads the summary, before the first run too', async () => {
    const summary = { run: null, running: false, classes: [], totalSpendFen: 0 };
    answerOnce(fetchMock, 200, summary);
    await expect(getRfmSummary('tok')).resolves.toEqual(summary);
    expect(sent()).toEqual({ url: '/api/v1/admin/rfm', method: 'GET', auth: 'Bearer tok', body: undefined });
  });

  it('pages the members with class, sort, order and page number', async () => {
    expect(rfmMembersPath({ rfmClass: null, sort: 'spend', order: 'desc', pageNo: 1 })).toBe(
      '/api/v1/admin/rfm/members?sort=spend&order=desc&page=1&pageSize=20',
    );
    expect(rfmMembersPath({ rfmClass: 'none', sort: 'lastVisit', order: 'asc', pageNo: 3, pageSize: 50 })).toBe(
      '/api/v1/admin/rfm/members?class=none&sort=lastVisit&order=asc&page=3&pageSize=50',
    );
    const page = { runId: 'r1', items: [member], total: 1, page: 1, pageSize: 20 };
    answerOnce(fetchMock, 200, page);
    await expect(
      listRfmMembers('tok', { rfmClass: 'important_value', sort: 'orders', order: 'desc', pageNo: 1 }),
    ).resolves.toEqual(page);
    expect(sent().url).toBe(
      '/api/v1/admin/rfm/members?class=important_value&sort=orders&order=desc&page=1&pageSize=20',
    );
  });

  it('pages the churn warnings by value', async () => {
    expect(churnPath({ rfmClass: null, order: 'desc', pageNo: 2 })).toBe(
      '/api/v1/admin/churn?order=desc&page=2&pageSize=20',
    );
    const page = { runId: null, items: [], total: 0, page: 1, pageSize: 20 };
    answerOnce(fetchMock, 200, page);
    await expect(listChurnWarnings('tok', { rfmClass: 'general_winback', order: 'asc', pageNo: 1 })).resolves.toEqual(
      page,
    );
    expect(sent().url).toBe('/api/v1/admin/churn?class=general_winback&order=asc&page=1&pageSize=20');
  });

  it('reads and PUTs the whole settings, and POSTs a recompute', async () => {
    answerOnce(fetchMock, 200, DEFAULT_RFM_SETTINGS);
    await expect(getRfmSettings('tok')).resolves.toEqual(DEFAULT_RFM_SETTINGS);
    fetchMock.mockReset();
    const body = { windowDays: 180, churnFactorBp: 15_000, churnMinOrders: 3 };
    answerOnce(fetchMock, 200, body);
    await expect(saveRfmSettings('tok', body)).resolves.toEqual(body);
    expect(sent()).toEqual({ url: '/api/v1/admin/rfm/settings', method: 'PUT', auth: 'Bearer tok', body });
    fetchMock.mockReset();
    answerOnce(fetchMock, 202, { started: true, alreadyRunning: false });
    await expect(recomputeRfm('tok')).resolves.toEqual({ started: true, alreadyRunning: false });
    expect(sent()).toEqual({ url: '/api/v1/admin/rfm/recompute', method: 'POST', auth: 'Bearer tok', body: undefined });
  });
});
