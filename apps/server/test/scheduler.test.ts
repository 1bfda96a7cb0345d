import cron from 'node-cron';
import { birthdayDays } from '../src/jobs/couponJobs';
import { JOBS } from '../src/jobs/scheduler';

describe('the job schedule', () => {
  it('lists each job once with a valid cron expression', () => {
    expect(JOBS.map((j) => j.name)).toEqual([
      'expireDuePoints',
      'reviewTiers',
      'reconcileOpenPayments',
      'reconcileYesterday',
      'expireCoupons',
      'giftCoupons',
      'releaseReferralRewards',
      'resumeCouponIssues',
      'rollupDaily',
      'rfmDaily',
      'tagsDaily',
      'resumeImports',
      'sendMessages',
      'runCampaigns',
      'dailyMessageTriggers',
    ]);
    for (const job of JOBS) expect(cron.validate(job.schedule)).toBe(true);
  });
});

describe('birthdayDays', () => {
  it('is the MM-DD a week ahead; Feb 29 birthdays are celebrated on Feb 28 in other years', () => {
    expect(birthdayDays('2026-12-01', 7)).toEqual(['12-08']);
    expect(birthdayDays('2026-12-28', 7)).toEqual(['01-04']);
    expect(birthdayDays('2027-02-21', 7)).toEqual(['02-28', '02-29']);
    expect(birthdayDays('2028-02-21', 7)).toEqual(['02-28']);
    expect(birthdayDays('2028-02-22', 7)).toEqual(['02-29']);
  });
});
