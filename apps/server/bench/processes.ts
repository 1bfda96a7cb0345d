// The load and fault runs' processes: the engine, the WeChat sandbox, the server and the traffic driver, each its
// own process, so one can be killed (-9) and started again while the others carry on.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { TrafficJob, TrafficResult } from './mixedTraffic';

const REPO = path.resolve(__dirname, '../../..');
const MONGO_LITE_BIN = path.join(REPO, 'packages/mongo-lite/bin/mongo-lite.js');
const SANDBOX_BIN = path.join(REPO, 'packages/wechat-sandbox/bin/wechat-sandbox.js');
const SERVER_MAIN = path.join(REPO, 'apps/server/src/main.ts');
/** What a process prints is kept for the failure message, up to this much. */
const KEEP_OUTPUT = 64_000;

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  output(): string;
}

export function spawnNode(name: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-KEEP_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { name, child, exited, output: () => out };
}

/** Waits until the process prints something matching `pattern`; fails if it exits or takes too long. */
export async function waitForOutput(proc: Proc, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(proc.output());
    if (match) return match;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`${proc.name} exited before it was ready:\n${proc.output().slice(-3000)}`);
    if (Date.now() > deadline)
      throw new Error(`${proc.name} not ready in ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
    await sleep(50);
  }
}

/** Sends `signal` and waits for the exit (SIGKILL after `graceMs` if a gentler signal is not obeyed). */
export async function stop(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  if (signal === 'SIGKILL') {
    await proc.exited;
    return;
  }
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** A port free right now (the fault run needs fixed ports: restarted processes must come back at the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mongo-lite with its journal in `dataDir`: a restart (even after kill -9) replays it. */
export async function startEngineProcess(opts: { port: number; dataDir: string }): Promise<Proc & { uri: string }> {
  const proc = spawnNode('mongo-lite', [MONGO_LITE_BIN, '--port', String(opts.port), '--data', opts.dataDir]);
  const [, uri] = await waitForOutput(proc, /listening on (\S+)/, 120_000);
  return { ...proc, uri: uri as string };
}

/** The WeChat sandbox (APIs and WeChat Pay) with its merchant keys in `payKeysDir`, for one app. */
export async function startSandboxProcess(opts: {
  port: number;
  payKeysDir: string;
  app: { appid: string; secret: string };
}): Promise<Proc & { url: string }> {
  const proc = spawnNode('wechat-sandbox', [
    SANDBOX_BIN,
    '--port',
    String(opts.port),
    '--app',
    `${opts.app.appid}:${opts.app.secret}`,
    '--pay-keys-dir',
    opts.payKeysDir,
  ]);
  const [, url] = await waitForOutput(proc, /listening on (http:\/\/\S+)/, 60_000);
  return { ...proc, url: url as string };
}

/** The hub as `node --import tsx apps/server/src/main.ts`, with the environment given; ready once it says so. */
export async function startServerProcess(env: Record<string, string>): Promise<Proc & { url: string }> {
  const proc = spawnNode('server', ['--import', 'tsx', SERVER_MAIN], env);
  const [, url] = await waitForOutput(proc, /API\s*:\s*(http:\/\/[^/\s]+)\/api\/v1/, 120_000);
  return { ...proc, url: url as string };
}

/** The traffic driver (mixedTraffic.ts) in its own process; its progress lines go to this process's stderr. */
export function runTraffic(job: TrafficJob): { proc: Proc; result: Promise<TrafficResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'mixedTraffic.ts')], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  child.stdin?.end(JSON.stringify(job));
  const result = exited.then((code) => {
    if (code !== 0) throw new Error(`traffic driver exited ${code}`);
    return JSON.parse(out) as TrafficResult;
  });
  // A driver stopped on the way out of a failed run must not add an unhandled rejection to the first error.
  result.catch(() => undefined);
  return { proc: { name: 'traffic', child, exited, output: () => out }, result };
}
