// Starts the whole hub: the database engine (MONGODB_URI or embedded mongo-lite), the WeChat sandbox when no real
// WeChat is configured, the mongoose connection, the first owner, and the HTTP server. main.ts and tests share it.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startMongoLite } from '@member-hub/mongo-lite';
import {
  ensureSandboxPayKeys,
  type SandboxControl,
  type SandboxPayKeys,
  startWechatSandbox,
} from '@member-hub/wechat-sandbox';
import mongoose, { type Connection } from 'mongoose';
import { buildApp } from './app';
import type { AppConfig } from './config';
import { type AppDeps, buildDeps } from './deps';
import { closeHttpServer } from './lib/gracefulShutdown';
import type { Logger } from './logger';
import { initModels } from './models';
import type { WechatPayKeys } from './modules/payments/wechatPay';

const WECHAT_API_BASE = 'https://api.weixin.qq.com';
const WECHAT_PAY_API_BASE = 'https://api.mch.weixin.qq.com';
const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningHub {
  url: string;
  server: Server;
  deps: AppDeps;
  databaseUri: string;
  sandboxUrl: string | null;
  /** The sandbox's control API (tests), null with real WeChat. */
  sandbox: SandboxControl | null;
  stop(): Promise<void>;
}

export interface StartHubOptions {
  config: AppConfig;
  logger: Logger;
  now?: () => number;
  /** Tests: shrink WeChat Pay's notification retry schedule (1 = real time). */
  notifyRetryScale?: number;
  /** Benchmarks: the sandbox merchant's keys, to build notifications as WeChat Pay would. */
  sandboxPayKeys?: SandboxPayKeys;
}

export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const { config, logger, now } = options;
  let sandboxControl: SandboxControl | null = null;
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
    let payKeys: WechatPayKeys;
    if (config.wechat.sandbox.enabled) {
      // Sandbox merchant keys are made on first start and kept beside the database (or in memory for tests).
      const keys =
        options.sandboxPayKeys ??
        ensureSandboxPayKeys({
          dir: config.database.dataDir ? path.dirname(config.database.dataDir) : null,
          appid: config.wechat.appid ?? '',
        });
      const sandbox = await startWechatSandbox({
        port: config.wechat.sandbox.port,
        apps: [{ appid: config.wechat.appid ?? '', secret: config.wechat.secret ?? '' }],
        now,
        pay: { keys, notifyRetryScale: options.notifyRetryScale },
      });
      closers.push(() => sandbox.stop());
      sandboxUrl = sandbox.url;
      sandboxControl = sandbox.control;
      payKeys = keys;
    } else payKeys = realPayKeys(config);

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
      payKeys,
      payBaseUrl: config.wechatPay.apiBaseUrl ?? sandboxUrl ?? WECHAT_PAY_API_BASE,
      now,
    });
    // The birthday, monthly and referral templates a shop starts with (created once; the owner edits them).
    await deps.couponSettings.ensureDefaults();
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
    const url = `http://${host}:${port}`;
    // With the sandbox, WeChat Pay notifies this very server.
    if (!config.wechatPay.notifyBaseUrl) deps.payments.notifyBaseUrl = url;
    return { url, server, deps, databaseUri, sandboxUrl, sandbox: sandboxControl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A real merchant's keys, from the files production config names (checked present at boot). */
function realPayKeys(config: AppConfig): WechatPayKeys {
  const pay = config.wechatPay;
  const need = (value: string | null, name: string) => {
    if (!value) throw new Error(`wechatPay.${name} is required without the sandbox`);
    return value;
  };
  const merchantPrivateKeyPem = readFileSync(need(pay.merchantPrivateKeyFile, 'merchantPrivateKeyFile'), 'utf8');
  return {
    appid: need(config.wechat.appid, 'appid'),
    mchid: need(pay.mchid, 'mchid'),
    merchantSerial: need(pay.merchantSerial, 'merchantSerial'),
    merchantPrivateKeyPem,
    merchantPublicKeyPem: createPublicKey(merchantPrivateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
    apiV3Key: need(pay.apiV3Key, 'apiV3Key'),
    platformPublicKeyId: need(pay.platformPublicKeyId, 'platformPublicKeyId'),
    platformPublicKeyPem: readFileSync(need(pay.platformPublicKeyFile, 'platformPublicKeyFile'), 'utf8'),
  };
}
