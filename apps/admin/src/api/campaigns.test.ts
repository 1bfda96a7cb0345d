// The campaign calls against the shared fetch stub: method, path, bearer, body, and how answers are read.
import { isRouteMissing } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import {
  type CampaignBody,
  cancelCampaign,
  createCampaign,
  dryRunCampaign,
  getCampaign,
  getCampaignResults,
  listCampaigns,
  startCampaign,
} from './campaigns';

const ID = '65f0c0ffee0000000000aaaa';
const SEGMENT = '65f0c0ffee0000000000bbbb';
const TEMPLATE = '65f0c0ffee0000000000cccc';
const fetchMock = stubFetch();

const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

const body: CampaignBody = {
  name: '沉睡唤醒',
  segmentId: SEGMENT,
  action: { kind: 'coupon', templateId: TEMPLATE },
  schedule: { kind: 'once', at: '2030-01-05T10:00:00+08:00' },
  controlPct: 10,
  notify: true,
};
const campaign = {
  ...body,
  id: ID,
  segmentName: '沉睡会员',
  actionText: '发放「满100减20」',
  status: 'draft',
  treatment: 0,
  control: 0,
  createdAt: '2030-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
};
const group = { members: 90, buyers: 9, revenueFen: 90_000, revenuePerMemberFen: 1_000, conversionBp: 1_000 };
const results = {
  campaignId: ID,
  asOf: '2030-02-01T00:00:00.000Z',
  reached: 90,
  messagesSent: 80,
  couponsIssued: 90,
  couponsRedeemed: 9,
  redemptionBp: 1_000,
  treatment: group,
  control: { members: 10, buyers: 0, revenueFen: 5_000, revenuePerMemberFen: 500, conversionBp: 0 },
  upliftBp: 10_000,
  incrementalRevenueFen: 45_000,
  costFen: 18_000,
  roiBp: 15_000,
  daily: [{ day: 0, treatmentFen: 100, controlFen: 50 }],
};

describe('campaigns', () => {
  it('lists them from the envelope and refuses a bare array', async () => {
    answer(200, { campaigns: [campaign] });
    await expect(listCampaigns('tok')).resolves.toEqual([campaign]);
    expect(sent()).toEqual({ url: '/api/v1/admin/campaigns', method: 'GET', auth: 'Bearer tok', body: undefined });

    answer(200, [campaign]);
    await expect(listCampaigns('tok')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });

  it('creates a draft and dry-runs the same body', async () => {
    answer(201, campaign);
    await expect(createCampaign('tok', body)).resolves.toEqual(campaign);
    expect(sent()).toEqual({ url: '/api/v1/admin/campaigns', method: 'POST', auth: 'Bearer tok', body });

    fetchMock.mockReset();
    const dryRun = {
      members: 100,
      treatment: 90,
      control: 10,
      reachableByMessage: 40,
      maxCostFen: 180_000,
      costNote: '90 张 × ¥20.00，全部核销时的上限',
    };
    answer(200, dryRun);
    await expect(dryRunCampaign('tok', body)).resolves.toEqual(dryRun);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/campaigns/dry-run', method: 'POST', body });
  });

  it('reads one, starts and cancels it by id', async () => {
    answer(200, campaign);
    await expect(getCampaign('tok', ID)).resolves.toEqual(campaign);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/campaigns/${ID}`, method: 'GET' });

    fetchMock.mockReset();
    answer(200, { ...campaign, status: 'scheduled' });
    await expect(startCampaign('tok', ID)).resolves.toMatchObject({ status: 'scheduled' });
    expect(sent()).toEqual({
      url: `/api/v1/admin/campaigns/${ID}/start`,
      method: 'POST',
      auth: 'Bearer tok',
      body: undefined,
    });

    fetchMock.mockReset();
    answer(200, { ...campaign, status: 'cancelled', finishedAt: '2030-01-02T00:00:00.000Z' });
    await expect(cancelCampaign('tok', ID)).resolves.toMatchObject({ status: 'cancelled' });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/campaigns/${ID}/cancel`, method: 'POST' });
  });

  it('encodes an id from a hand-edited URL', async () => {
    answer(200, campaign);
    await getCampaign('tok', 'a/b');
    expect(sent().url).toBe('/api/v1/admin/campaigns/a%2Fb');
  });

  it('reads the results and passes a conflict on with its message', async () => {
    answer(200, results);
    await expect(getCampaignResults('tok', ID)).resolves.toEqual(results);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/campaigns/${ID}/results`, method: 'GET' });

    answer(409, { error: { code: 'CONFLICT', message: '只有草稿可以开始' } });
    await expect(startCampaign('tok', ID)).rejects.toMatchObject({ code: 'CONFLICT', message: '只有草稿可以开始' });
  });

  it('refuses results missing a group and tells a missing route apart', async () => {
    const { control: _control, ...withoutControl } = results;
    answer(200, withoutControl);
    await expect(getCampaignResults('tok', ID)).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
    answer(404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    expect(isRouteMissing(await listCampaigns('tok').catch((e: unknown) => e))).toBe(true);
  });
});
