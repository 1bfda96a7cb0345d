// Runs the README's start command (`npm start`) as a child process on a free port with a fresh data directory,
// and waits for the URLs it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HubProcess {
  url: string;
  sandboxUrl: string;
  output: () => string;
  /** SIGTERM to the whole process group; resolves when npm has exited. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

export async function startHubProcess(timeoutMs = 200_000): Promise<HubProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-e2e-'));
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() reaches npm's children too
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // 'close' comes once every process holding the output pipes (npm, and the server it started) has ended.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  let sandboxUrl: string | undefined;
  while (!url || !sandboxUrl) {
    if (Date.now() > deadline || child.exitCode !== null) {
      // The whole group: npm's children (the web builds) would otherwise go on without it.
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      throw new Error(`hub did not start:\n${out.slice(-4000)}`);
    }
    url = /H5 mini-program\s*:\s*(http:\/\/[^/\s]+)\/h5\//.exec(out)?.[1];
    sandboxUrl = /WeChat sandbox\s*:\s*(http:\/\/[^\s]+)/.exec(out)?.[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    sandboxUrl,
    output: () => out,
    async stop() {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
      // npm may exit before the server has finished stopping (and said so): wait for it, but not forever.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
