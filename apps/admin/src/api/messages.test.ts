// The outbox call against the shared fetch stub.
import { OutboxStatus } from '@member-hub/shared';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { listOutbox, outboxPath } from './messages';

const fetchMock = stubFetch();
const CURSOR = '65f0c0ffee0000000000aaaa';

const counts = Object.fromEntries(OutboxStatus.options.map((status) => [status, 0]));
const message = {
  id: '65f0c0ffee0000000000bbbb',
  memberNo: '10000001',
  kind: 'birthday',
  category: 'marketing',
  templateId: 'tpl-birthday',
  data: { thing1: '生日礼券' },
  page: 'pages/coupons/index',
  status: 'failed',
  attempts: 3,
  notBefore: '2030-01-01T02:00:00.000Z',
  sentAt: null,
  error: '43101 用户拒绝接受消息',
  createdAt: '2030-01-01T01:00:00.000Z',
};

describe('outbox', () => {
  it('leaves out the filters not set', () => {
    expect(outboxPath()).toBe('/api/v1/admin/messages?limit=50');
    expect(outboxPath({ status: 'failed', kind: 'birthday', after: CURSOR, limit: 20 })).toBe(
      `/api/v1/admin/messages?status=failed&kind=birthday&limit=20&after=${CURSOR}`,
    );
    expect(outboxPath({ status: null, kind: 'tier_up', after: null })).toBe(
      '/api/v1/admin/messages?kind=tier_up&limit=50',
    );
  });

  it('reads a page with the counts per status', async () => {
    const page = { items: [message], next: CURSOR, counts: { ...counts, failed: 1, sent: 7 } };
    answerOnce(fetchMock, 200, page);
    await expect(listOutbox('tok', { status: 'failed' })).resolves.toEqual(page);
    expect(sentRequest(fetchMock)).toEqual({
      url: '/api/v1/admin/messages?status=failed&limit=50',
      method: 'GET',
      auth: 'Bearer tok',
      body: undefined,
    });
  });

  it('refuses a page without its counts', async () => {
    answerOnce(fetchMock, 200, { items: [message], next: null });
    await expect(listOutbox('tok')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
