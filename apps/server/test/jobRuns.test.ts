// The scheduler's run history and its once-per-schedule rule across server copies, and the owner's "run now".
import { JobPaths } from '@member-hub/shared';
import mongoose from 'mongoose';
import type { AppDeps } from '../src/deps';
import { itemsOf, type JobDefinition, JobRunner, scheduleText } from '../src/jobs/runs';
import { JOBS } from '../src/jobs/scheduler';
import { memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let second: mongoose.Connection;

beforeAll(async () => {
  hub = await startTestHub();
  second = mongoose.createConnection(hub.databaseUri);
  await second.asPromise();
});
afterAll(async () => {
  await second.close();
  await hub.stop();
});

describe('two server copies firing the same schedule', () => {
  it('run each scheduled minute once, however the ticks race', async () => {
    let calls = 0;
    const counting: JobDefinition = {
      name: 'counting',
      title: '计数',
      description: '测试用',
      schedule: '* * * * *',
      run: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 30));
        return { processed: 3 };
      },
    };
    // Copy B has its own connection to the same database, as a second process would.
    const copyA = new JobRunner(hub.deps, [counting]);
    const copyB = new JobRunner({ ...hub.deps, conn: second } as AppDeps, [counting]);
    const minute = Date.parse('2026-12-02T02:00:00Z');
    for (let m = 0; m < 5; m++) {
      // Both copies tick within the same minute (one a few seconds late).
      const results = await Promise.all([
        copyA.runScheduled('counting', minute + m * 60_000 + 100),
        copyB.runScheduled('counting', minute + m * 60_000 + 2_500),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
    expect(calls).toBe(5);
    const page = await copyA.runs('counting', { limit: 10 });
    expect(page.runs).toHaveLength(5);
    expect(page.runs.every((r) => r.status === 'done' && r.items === 3 && r.trigger === 'schedule')).toBe(true);
  });

  it('records a failing job with its error and carries on', async () => {
    const failing: JobDefinition = {
      name: 'failing',
      title: '失败',
      description: '测试用',
      schedule: '0 3 * * *',
      run: async () => {
        throw new Error('engine went away');
      },
    };
    const runner = new JobRunner(hub.deps, [failing]);
    const run = await runner.runScheduled('failing', Date.parse('2026-12-02T03:00:00Z'));
    expect(run).toMatchObject({ status: 'failed', error: 'engine went away' });
    expect(run?.finishedAt).not.toBeNull();
  });

  it('counts a real job once when both copies run it (the message sender)', async () => {
    const a = new JobRunner(hub.deps, JOBS);
    const b = new JobRunner({ ...hub.deps, conn: second } as AppDeps, JOBS);
    const at = Date.parse('2026-12-02T04:00:00Z');
    const [ra, rb] = await Promise.all([a.runScheduled('sendMessages', at), b.runScheduled('sendMessages', at + 900)]);
    expect([ra, rb].filter(Boolean)).toHaveLength(1);
    expect((ra ?? rb)?.status).toBe('done');
  });
});

describe("the owner's jobs page", () => {
  it('lists every job with its schedule in words and its last run; "run now" runs it and is audited', async () => {
    const owner = await ownerToken(hub);
    const list = await request(hub.url, 'GET', JobPaths.jobs, { token: owner });
    expect(list.status).toBe(200);
    expect(list.body.jobs.map((j: { name: string }) => j.name)).toEqual(JOBS.map((j) => j.name));
    expect(list.body.jobs.find((j: { name: string }) => j.name === 'rfmDaily')).toMatchObject({
      title: 'RFM 分析',
      scheduleText: '每天 02:30',
    });

    const started = await request(hub.url, 'POST', JobPaths.runNow('expireCoupons'), { token: owner });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ job: 'expireCoupons', trigger: 'manual', status: 'running', by: 'owner' });
    let runs: { id: string; status: string; result: unknown }[] = [];
    for (let i = 0; i < 50; i++) {
      runs = (await request(hub.url, 'GET', JobPaths.runs('expireCoupons'), { token: owner })).body.runs;
      if (runs[0]?.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs[0]).toMatchObject({ id: started.body.id, status: 'done', result: { expired: 0 } });
    const audit = await hub.deps.conn.collection('audit_log').findOne({ action: 'job.run' });
    expect(audit?.details).toMatchObject({ job: 'expireCoupons', runId: started.body.id });

    expect((await request(hub.url, 'POST', JobPaths.runNow('nope'), { token: owner })).status).toBe(404);
    expect((await request(hub.url, 'GET', `${JobPaths.runs('rfmDaily')}?limit=0`, { token: owner })).status).toBe(400);
    const member = await memberLogin(hub, 'o_jobs_member');
    expect((await request(hub.url, 'POST', JobPaths.runNow('expireCoupons'), { token: member.token })).status).toBe(
      403,
    );
  });
});

describe('words and numbers', () => {
  it('reads schedules and item counts', () => {
    expect(scheduleText('* * * * *')).toBe('每分钟');
    expect(scheduleText('*/10 * * * *')).toBe('每 10 分钟');
    expect(scheduleText('5 0 * * *')).toBe('每天 00:05');
    expect(scheduleText('0 9 1 * *')).toBe('0 9 1 * *');
    expect(itemsOf({ expired: 4 })).toBe(4);
    expect(itemsOf({ scanned: { queued: 2 }, sent: { sent: 7 } })).toBe(7);
    expect(itemsOf({ ran: false })).toBeNull();
    expect(itemsOf(undefined)).toBeNull();
  });
});
