import cron from 'node-cron';
import { JOBS } from '../src/jobs/scheduler';

describe('the job schedule', () => {
  it('lists each job once with a valid cron expression', () => {
    expect(JOBS.map((j) => j.name)).toEqual([
      'expireDuePoints',
      'reviewTiers',
      'reconcileOpenPayments',
      'reconcileYesterday',
    ]);
    for (const job of JOBS) expect(cron.validate(job.schedule)).toBe(true);
  });
});
