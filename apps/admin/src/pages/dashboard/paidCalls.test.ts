import { PaidCallsSummary, type PaidCallUsage } from '@member-hub/shared';
import { answerOnce, sentRequest, stubFetch } from '../../testing/fetch-stub';
import { loadPaidCalls } from './PaidCallsCard';
import { callsText, dayLabel, daysWithCalls, priceNote } from './paidCalls';

const usage: PaidCallUsage = {
  api: 'getuserphonenumber',
  label: '手机号验证',
  priceFen: 3,
  today: { day: '2026-12-02', count: 12, costFen: 36 },
  month: { month: '2026-12', count: 40, costFen: 120 },
  days: [
    { day: '2026-12-02', count: 12, costFen: 36 },
    { day: '2026-12-01', count: 28, costFen: 84 },
    { day: '2026-11-30', count: 0, costFen: 0 },
  ],
};

const fetchMock = stubFetch();

describe('paid calls card', () => {
  it('says count and estimated cost in yuan', () => {
    expect(callsText(usage.today.count, usage.today.costFen)).toBe('12 次 · 约 ¥0.36');
    expect(callsText(1234, 3702)).toBe('1,234 次 · 约 ¥37.02');
    expect(priceNote(usage)).toContain('按 ¥0.03/次 估算');
    expect(dayLabel('2026-12-02')).toBe('12月2日');
    expect(daysWithCalls(usage.days).map((d) => d.day)).toEqual(['2026-12-02', '2026-12-01']);
  });

  it('reads the server summary with the bearer, and null while the route is missing', async () => {
    const answer = PaidCallsSummary.parse({ apis: [usage] });
    answerOnce(fetchMock, 200, answer);
    await expect(loadPaidCalls('tok')).resolves.toEqual(answer);
    expect(sentRequest(fetchMock)).toMatchObject({
      url: '/api/v1/admin/dashboard/paid-calls',
      method: 'GET',
      auth: 'Bearer tok',
    });
    answerOnce(fetchMock, 404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    await expect(loadPaidCalls('tok')).resolves.toBeNull();
  });
});
