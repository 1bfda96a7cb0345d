// Shared pieces of the server benchmarks: mongo-lite in its own process, a load generator in its own process,
// and 100,000 seeded members.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import { type AppConfig, loadConfig } from '../src/config';
import { parseEnv } from '../src/env';

export async function startEngine(): Promise<{ child: ChildProcess; uri: string }> {
  const bin = path.resolve(__dirname, '../../../packages/mongo-lite/bin/mongo-lite.js');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_ENGINE_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_ENGINE_PROFILE] : []),
      bin,
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error('mongo-lite exited')));
  });
  return { child, uri };
}

/** The engine for the million-member benchmarks: their data lives in its heap, more than node's default allows. */
export async function startBigEngine(): Promise<{ child: ChildProcess; uri: string }> {
  const nodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --max-old-space-size=12288`.trim();
  try {
    return await startEngine();
  } finally {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
  }
}

/** The hub's config for a benchmark: test defaults, on the `bench` database of the engine just started. */
export function benchConfig(engineUri: string): AppConfig & { database: { uri: string } } {
  const config = loadConfig(parseEnv({ NODE_ENV: 'test' }));
  const uri = engineUri.replace('/?', '/bench?');
  return { ...config, database: { ...config.database, uri } };
}

export interface LoadResult {
  count: number;
  failures: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
}

export interface LoadRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Runs the load generator in its own process (see loadgen.ts) so clients do not share the server's CPU. */
export function load(job: {
  kind: 'closed-loop' | 'bursts';
  requests: LoadRequest[];
  concurrency: number;
  durationMs?: number;
  expectedStatuses?: number[];
}): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'loadgen.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin?.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`loadgen exited ${code}`));
      const result = JSON.parse(out) as LoadResult;
      if (result.failures > 0) return reject(new Error(`${result.failures} requests failed`));
      resolve(result);
    });
  });
}

export async function seedMembers(uri: string, count: number): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri);
  const members = client.db().collection('members');
  const now = new Date();
  for (let start = 0; start < count; start += 5_000) {
    const batch = Array.from({ length: 5_000 }, (_, k) => {
      const n = start + k;
      return {
        _id: new Types.ObjectId(),
        memberNo: String(20_000_000 + n),
        status: 'active',
        mergedInto: null,
        identityKeys: [`wx:bench:${n}`],
        wechat: [{ appid: 'bench', openid: String(n) }],
        unionid: null,
        phone: null,
        externalIds: [],
        nickname: `会员${n}`,
        avatarUrl: null,
        birthday: null,
        birthdayLocked: false,
        gender: 'unknown',
        region: null,
        tier: '普通会员',
        points: n % 5_000,
        growth: n % 3_000,
        walletPrincipalFen: (n % 100) * 100,
        walletBonusFen: 0,
        ledgerOutbox: [],
        ledgerKeys: [],
        cardCode: null,
        deletedAt: null,
        createdAt: now,
        updatedAt: now,
      };
    });
    await members.insertMany(batch);
  }
  await client.close();
}

/** CPU seconds a process has used so far (user + system), from /proc; null where there is no /proc. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * With BENCH_HUB_PROFILE=DIR, a CPU profile of this process over `run` only (an API phase, not seeding or a raw
 * phase) is written to DIR/hub-<label>.cpuprofile, for chrome://inspect or `speedscope`.
 */
export async function profiled<T>(label: string | number, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_HUB_PROFILE;
  if (!dir) return run();
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `hub-${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * The raw floors' closed loop: `concurrency` workers run `op` back to back until `durationMs` is up, each op getting
 * the next index. Counts the ops that finished.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ count: number; seconds: number; rate: number }> {
  let next = 0;
  let count = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op(next++);
        count++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, rate: count / seconds };
}
