// Starts the whole hub: the database engine (MONGODB_URI or embedded mongo-lite), the WeChat sandbox when no real
// WeChat is configured, the mongoose connection, the first owner, and the HTTP server. main.ts and tests share it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMongoLite } from '@member-hub/mongo-lite';
import { startWechatSandbox } from '@member-hub/wechat-sandbox';
import mongoose, { type Connection } from 'mongoose';
import { buildApp } from './app';
import type { AppConfig } from './config';
import { type AppDeps, buildDeps } from './deps';
import { closeHttpServer } from './lib/gracefulShutdown';
import type { Logger } from './logger';
import { initModels } from './models';

const WECHAT_API_BASE = 'https://api.weixin.qq.com';
const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningHub {
  url: string;
  server: Server;
  deps: AppDeps;
  databaseUri: string;
  sandboxUrl: string | null;
  stop(): Promise<void>;
}

export interface StartHubOptions {
  config: AppConfig;
  logger: Logger;
  now?: () => number;
}

export async function startHub({ config, logger, now }: StartHubOptions): Promise<RunningHub> {
  const closers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const close of closers.reverse()) await close().catch((err) => logger.error({ err }, 'shutdown step failed'));
  };
  try {
    let databaseUri: string;
    if (config.database.uri) databaseUri = config.database.uri;
    else {
      const engine = await startMongoLite({
        port: config.database.mongoLitePort,
        dataDir: config.database.dataDir ?? undefined,
      });
      closers.push(() => engine.stop());
      databaseUri = engine.uri;
      logger.info({ dataDir: config.database.dataDir ?? 'memory' }, 'mongo-lite started');
    }

    let sandboxUrl: string | null = null;
    if (config.wechat.sandbox.enabled) {
      const sandbox = await startWechatSandbox({
        port: config.wechat.sandbox.port,
        apps: [{ appid: config.wechat.appid ?? '', secret: config.wechat.secret ?? '' }],
        now,
      });
      closers.push(() => sandbox.stop());
      sandboxUrl = sandbox.url;
    }

    const conn: Connection = mongoose.createConnection(databaseUri, { serverSelectionTimeoutMS: 10_000 });
    closers.push(() => conn.close());
    await conn.asPromise();
    // Unique indexes are correctness, not an optimisation: build them before serving a single request.
    await initModels(conn);

    const deps = buildDeps({
      config,
      logger,
      conn,
      wechatBaseUrl: config.wechat.apiBaseUrl ?? sandboxUrl ?? WECHAT_API_BASE,
      sandboxBaseUrl: sandboxUrl,
      now,
    });
    if (await deps.owners.ensureBootstrapOwner(config.bootstrapOwner)) {
      logger.info({ username: config.bootstrapOwner?.username }, 'created the first owner from config');
    }

    const server = createServer(buildApp(deps).callback());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => resolve());
    });
    // The HTTP server closes first (it is last in the list): in-flight requests finish while the database is up.
    closers.push(() => closeHttpServer(server, SHUTDOWN_DEADLINE_MS));
    const { port } = server.address() as AddressInfo;
    const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
    return { url: `http://${host}:${port}`, server, deps, databaseUri, sandboxUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
