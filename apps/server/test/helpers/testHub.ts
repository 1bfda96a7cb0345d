// A real hub for integration tests: mongo-lite in memory (or MONGODB_URI with a fresh database), the WeChat
// sandbox over HTTP, and a clock the test can move.
import { randomBytes } from 'node:crypto';
import { type AppConfig, loadConfig } from '../../src/config';
import { parseEnv } from '../../src/env';
import { createLogger } from '../../src/logger';
import { type RunningHub, startHub } from '../../src/runtime';

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

function databaseUriForTest(): string | null {
  const base = process.env.MONGODB_URI;
  if (!base) return null;
  // A fresh database per hub, so files never see each other's data on a shared server.
  const url = new URL(base);
  url.pathname = `/hub_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

export interface TestHub extends RunningHub {
  clock: TestClock;
  config: AppConfig;
}

export async function startTestHub(
  tweak: (config: AppConfig) => void = () => {},
  // WeChat Pay's retries (15 s, 15 s, 30 s, ...) shrunk a thousandfold: a retry comes in milliseconds.
  options: { notifyRetryScale?: number } = { notifyRetryScale: 0.001 },
): Promise<TestHub> {
  const config = loadConfig(parseEnv({ NODE_ENV: 'test' }));
  config.database.uri = databaseUriForTest();
  tweak(config);
  const clock = testClock();
  const hub = await startHub({
    config,
    logger: createLogger('silent'),
    now: clock.now,
    notifyRetryScale: options.notifyRetryScale,
  });
  return {
    ...hub,
    clock,
    config,
    stop: async () => {
      if (config.database.uri) await hub.deps.conn.dropDatabase().catch(() => {});
      await hub.stop();
    },
  };
}
