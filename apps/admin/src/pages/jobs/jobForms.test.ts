import type { JobInfo, JobRun } from '@member-hub/shared';
import {
  durationText,
  finishedText,
  itemsText,
  resultText,
  runningKeys,
  runStatusText,
  settledRun,
  splitKey,
  triggerText,
  withLastRun,
} from './jobForms';

const run: JobRun = {
  id: 'r2',
  job: 'expireDuePoints',
  trigger: 'manual',
  status: 'running',
  startedAt: '2030-01-01T16:00:00.000Z',
  finishedAt: null,
  ms: null,
  result: null,
  items: null,
  error: null,
  by: 'boss',
};
const done: JobRun = {
  ...run,
  status: 'done',
  finishedAt: '2030-01-01T16:00:02.500Z',
  ms: 2_500,
  result: { expired: 1_200 },
  items: 1_200,
};
const job: JobInfo = {
  name: 'expireDuePoints',
  title: '积分过期',
  description: '把到期的积分作废',
  schedule: '0 0 * * *',
  scheduleText: '每天 00:00',
  lastRun: run,
};

describe('texts', () => {
  it('says how long a run took', () => {
    expect(durationText(null)).toBe('—');
    expect(durationText(850)).toBe('850 毫秒');
    expect(durationText(2_500)).toBe('2.5 秒');
    expect(durationText(59_940)).toBe('59.9 秒');
    expect(durationText(60_000)).toBe('1 分');
    expect(durationText(125_000)).toBe('2 分 5 秒');
    expect(durationText(3_600_000)).toBe('1 小时');
    expect(durationText(3_725_000)).toBe('1 小时 2 分');
  });

  it('names the trigger, the status and the items', () => {
    expect(triggerText(run)).toBe('手动 · boss');
    expect(triggerText({ trigger: 'manual', by: null })).toBe('手动');
    expect(triggerText({ trigger: 'schedule', by: null })).toBe('定时');
    expect([runStatusText(run), runStatusText(done), runStatusText({ status: 'skipped' })]).toEqual([
      '运行中',
      '完成',
      '已跳过',
    ]);
    expect(itemsText(1_200)).toBe('1,200 条');
    expect(itemsText(null)).toBe('—');
    expect(resultText({ expired: 3 })).toBe('{"expired":3}');
    expect(resultText({})).toBe('');
    expect(resultText(null)).toBe('');
  });

  it('says how a followed run ended', () => {
    expect(finishedText('积分过期', done)).toBe('「积分过期」运行完成，用时 2.5 秒，处理 1,200 条');
    expect(finishedText('积分过期', { ...done, items: null })).toBe('「积分过期」运行完成，用时 2.5 秒');
    expect(finishedText('积分过期', { ...done, status: 'failed', error: '数据库超时' })).toBe(
      '「积分过期」运行失败：数据库超时',
    );
    expect(finishedText('积分过期', { ...done, status: 'skipped', error: null })).toBe('「积分过期」已跳过');
  });
});

describe('following a run', () => {
  it('follows the jobs whose last run is running', () => {
    const idle = { ...job, name: 'rfmDaily', lastRun: done };
    const never = { ...job, name: 'tagsDaily', lastRun: null };
    expect(runningKeys([job, idle, never])).toEqual(['expireDuePoints:r2']);
    expect(splitKey('expireDuePoints:r2')).toEqual({ name: 'expireDuePoints', runId: 'r2' });
  });

  it('settles once the run followed is over', () => {
    expect(settledRun({ runs: [run], next: null }, 'r2')).toBeNull();
    expect(settledRun({ runs: [done], next: null }, 'r2')).toEqual(done);
    // A newer run already pushed it out of the page: the newest finished one stands for it.
    const newer = { ...done, id: 'r9' };
    expect(settledRun({ runs: [newer], next: 'x' }, 'r2')).toEqual(newer);
    expect(settledRun({ runs: [{ ...run, id: 'r9' }], next: 'x' }, 'r2')).toBeNull();
    expect(settledRun({ runs: [], next: null }, 'r2')).toBeNull();
  });

  it('puts the run on its job', () => {
    const other = { ...job, name: 'rfmDaily', lastRun: null };
    expect(withLastRun([job, other], 'expireDuePoints', done)).toEqual([{ ...job, lastRun: done }, other]);
  });
});
