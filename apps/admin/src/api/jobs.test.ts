// The background job calls against the shared fetch stub.
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { jobRunsPath, listJobRuns, listJobs, runJobNow } from './jobs';

const fetchMock = stubFetch();
const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

const CURSOR = '65f0c0ffee0000000000aaaa';
const run = {
  id: '65f0c0ffee0000000000bbbb',
  job: 'expireDuePoints',
  trigger: 'schedule',
  status: 'done',
  startedAt: '2030-01-01T16:00:00.000Z',
  finishedAt: '2030-01-01T16:00:02.500Z',
  ms: 2_500,
  result: { expired: 12 },
  items: 12,
  error: null,
  by: null,
};
const job = {
  name: 'expireDuePoints',
  title: '积分过期',
  description: '把到期的积分作废',
  schedule: '0 0 * * *',
  scheduleText: '每天 00:00',
  lastRun: run,
};

describe('jobs', () => {
  it('lists the jobs with their last run', async () => {
    answer(200, { jobs: [job, { ...job, name: 'rfmDaily', lastRun: null }] });
    const jobs = await listJobs('tok');
    expect(jobs.map((item) => item.name)).toEqual(['expireDuePoints', 'rfmDaily']);
    expect(jobs[0]?.lastRun).toEqual(run);
    expect(sent()).toEqual({ url: '/api/v1/admin/jobs', method: 'GET', auth: 'Bearer tok', body: undefined });
  });

  it('pages a job’s runs by cursor', async () => {
    expect(jobRunsPath('expireDuePoints')).toBe('/api/v1/admin/jobs/expireDuePoints/runs?limit=20');
    expect(jobRunsPath('expireDuePoints', { before: CURSOR, limit: 5 })).toBe(
      `/api/v1/admin/jobs/expireDuePoints/runs?limit=5&before=${CURSOR}`,
    );
    expect(jobRunsPath('a b')).toBe('/api/v1/admin/jobs/a%20b/runs?limit=20');

    answer(200, { runs: [run], next: CURSOR });
    await expect(listJobRuns('tok', 'expireDuePoints', { before: CURSOR })).resolves.toEqual({
      runs: [run],
      next: CURSOR,
    });
    expect(sent().url).toBe(`/api/v1/admin/jobs/expireDuePoints/runs?limit=20&before=${CURSOR}`);
  });

  it('runs a job now and reads the 202 run', async () => {
    const started = {
      ...run,
      trigger: 'manual',
      status: 'running',
      finishedAt: null,
      ms: null,
      items: null,
      by: 'boss',
    };
    answer(202, started);
    await expect(runJobNow('tok', 'expireDuePoints')).resolves.toEqual(started);
    expect(sent()).toEqual({
      url: '/api/v1/admin/jobs/expireDuePoints/run',
      method: 'POST',
      auth: 'Bearer tok',
      body: undefined,
    });
  });

  it('refuses a run with an unknown status', async () => {
    answer(200, { runs: [{ ...run, status: 'paused' }], next: null });
    await expect(listJobRuns('tok', 'expireDuePoints')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
