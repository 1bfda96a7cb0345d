// The coupon calls against the shared fetch stub: method, path, bearer, body, and how answers are read.
import { type CouponSettings, EMPTY_SEGMENT_DEFINITION } from '@member-hub/shared';
import { isRouteMissing } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import {
  createCouponIssue,
  createCouponTemplate,
  getCouponIssue,
  getCouponSettings,
  getReferralOverview,
  listCouponIssues,
  listCouponTemplates,
  listReferrals,
  referralListPath,
  saveCouponSettings,
  updateCouponTemplate,
} from './coupons';

const ID = '65f0c0ffee0000000000aaaa';
const OTHER = '65f0c0ffee0000000000bbbb';
const fetchMock = stubFetch();

const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

const body = {
  title: '满100减20',
  description: '',
  effect: { kind: 'cash_off' as const, valueFen: 2_000 },
  conditions: { thresholdFen: 10_000, storeIds: [], categories: [], stackable: false },
  validity: { type: 'relative' as const, days: 30 },
  totalStock: null,
  perMemberLimit: 1,
  claimable: true,
  active: true,
};
const template = {
  ...body,
  id: ID,
  systemKey: null,
  stockLeft: null,
  createdAt: '2030-01-01T00:00:00Z',
  stats: { issued: 10, claimed: 4, used: 2, redemptionRateBp: 2_000, salesFen: 30_000 },
};
const issue = {
  id: 'i1',
  templateId: ID,
  templateTitle: '满100减20',
  target: { kind: 'members', memberNos: ['10000001'] },
  status: 'queued',
  total: null,
  issued: 0,
  skipped: 0,
  createdAt: '2030-01-01T00:00:00Z',
  finishedAt: null,
  error: null,
};
const settings: CouponSettings = {
  tierGifts: [{ tier: '金卡', birthdayTemplateId: ID, monthlyTemplateId: null }],
  referral: { enabled: true, rewardTemplateId: ID, holdDays: 7, dailyLimit: 20, acceptWithinHours: 72 },
};
const person = { memberId: ID, memberNo: '10000001', nickname: '小明' };
const referral = {
  id: 'r1',
  inviter: person,
  invitee: { ...person, memberNo: '10000002', nickname: null },
  status: 'held',
  createdAt: '2030-01-01T00:00:00Z',
  rewardOrderId: null,
  heldUntil: '2030-01-08T00:00:00Z',
  phonePrefix: '138****',
  sameDeviceCount: 1,
};

describe('templates', () => {
  it('lists with stats, creates and patches', async () => {
    answer(200, { templates: [template] });
    await expect(listCouponTemplates('tok')).resolves.toEqual([template]);
    expect(sent()).toEqual({
      url: '/api/v1/admin/coupon-templates',
      method: 'GET',
      auth: 'Bearer tok',
      body: undefined,
    });

    fetchMock.mockReset();
    answer(201, template);
    await expect(createCouponTemplate('tok', body)).resolves.toEqual(template);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/coupon-templates', method: 'POST', body });

    fetchMock.mockReset();
    const { stats: _stats, ...withoutStats } = template;
    answer(200, { ...withoutStats, active: false });
    await expect(updateCouponTemplate('tok', ID, { active: false })).resolves.toMatchObject({ active: false });
    expect(sent()).toMatchObject({
      url: `/api/v1/admin/coupon-templates/${ID}`,
      method: 'PATCH',
      body: { active: false },
    });
  });

  it('refuses a bare array and tells a missing route apart', async () => {
    answer(200, [template]);
    await expect(listCouponTemplates('tok')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
    answer(404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    expect(isRouteMissing(await listCouponTemplates('tok').catch((e: unknown) => e))).toBe(true);
  });
});

describe('issues', () => {
  it('lists, creates with the idempotency key and polls one', async () => {
    answer(200, { issues: [issue] });
    await expect(listCouponIssues('tok')).resolves.toEqual([issue]);
    expect(sent().url).toBe('/api/v1/admin/coupon-issues');

    fetchMock.mockReset();
    const request = {
      templateId: ID,
      target: { kind: 'segment' as const, segmentId: OTHER },
      idempotencyKey: 'k'.repeat(32),
    };
    // The campaign keeps the segment as it was when pushed.
    const segment = { name: '金卡人群', definition: EMPTY_SEGMENT_DEFINITION, summary: '全部会员' };
    answer(202, { ...issue, target: { ...request.target, segment } });
    await expect(createCouponIssue('tok', request)).resolves.toMatchObject({ status: 'queued' });
    expect(sent()).toMatchObject({ url: '/api/v1/admin/coupon-issues', method: 'POST', body: request });

    fetchMock.mockReset();
    answer(200, { ...issue, status: 'done', total: 1, issued: 1, finishedAt: '2030-01-01T00:00:01Z' });
    await expect(getCouponIssue('tok', 'i1')).resolves.toMatchObject({ status: 'done', issued: 1 });
    expect(sent()).toMatchObject({ url: '/api/v1/admin/coupon-issues/i1', method: 'GET' });
  });
});

describe('settings', () => {
  it('reads and replaces them', async () => {
    answer(200, settings);
    await expect(getCouponSettings('tok')).resolves.toEqual(settings);
    expect(sent().url).toBe('/api/v1/admin/coupon-settings');

    fetchMock.mockReset();
    answer(200, settings);
    await expect(saveCouponSettings('tok', settings)).resolves.toEqual(settings);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/coupon-settings', method: 'PUT', body: settings });
  });
});

describe('referrals', () => {
  it('asks for the newest, or for the chain around one member', async () => {
    expect(referralListPath(null)).toBe('/api/v1/admin/referrals?limit=50');
    expect(referralListPath('10000001')).toBe('/api/v1/admin/referrals?memberNo=10000001&limit=50');

    answer(200, { referrals: [referral] });
    await expect(listReferrals('tok', '10000001')).resolves.toEqual([referral]);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/referrals?memberNo=10000001&limit=50', auth: 'Bearer tok' });
  });

  it('reads the overview', async () => {
    const overview = {
      topInviters: [{ ...person, invitees: 5, rewarded: 3 }],
      suspicious: [{ inviter: person, reason: 'shared_device', detail: '5 位受邀人使用同一设备', count: 5 }],
    };
    answer(200, overview);
    await expect(getReferralOverview('tok')).resolves.toEqual(overview);
    expect(sent().url).toBe('/api/v1/admin/referrals/overview');
  });
});
