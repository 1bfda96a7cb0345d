// Starts the whole hub: the database engine (MONGODB_URI or embedded mongo-lite), the WeChat sandbox when no real
// WeChat is configured, the mongoose connection, the first owner, and the HTTP server. main.ts and tests share it.
// mongo-lite and the sandbox are loaded only on the branch that starts them: the production build leaves them out.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SandboxControl, SandboxPayKeys } from '@member-hub/wechat-sandbox';
import mongoose, { type Connection } from 'mongoose';
import { buildApp } from './app';
import type { AppConfig } from './config';
import { type AppDeps, buildDeps } from './deps';
import { ConfigError } from './env';
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
      const { startMongoLite } = await loadDevEngine(
        config,
        'mongo-lite',
        'MONGODB_URI',
        () => import('@member-hub/mongo-lite'),
      );
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
      const { ensureSandboxPayKeys, startWechatSandbox } = await loadDevEngine(
        config,
        'wechat-sandbox',
        'WECHAT_APPID and WECHAT_SECRET',
        () => import('@member-hub/wechat-sandbox'),
      );
      const external = config.wechat.sandbox.url;
      // Sandbox merchant keys are made on first start and kept beside the database (or in memory for tests); an
      // external sandbox keeps them in its --pay-keys-dir, which both sides read.
      const dataDir = config.database.dataDir;
      const keys =
        options.sandboxPayKeys ??
        ensureSandboxPayKeys({
          dir: external ? config.wechat.sandbox.payKeysDir : dataDir && path.dirname(dataDir),
          appid: config.wechat.appid ?? '',
        });
      if (external) sandboxUrl = external.replace(/\/$/, '');
      else {
        const sandbox = await startWechatSandbox({
          port: config.wechat.sandbox.port,
          apps: [{ appid: config.wechat.appid ?? '', secret: config.wechat.secret ?? '' }],
          now,
          pay: { keys, notifyRetryScale: options.notifyRetryScale },
        });
        closers.push(() => sandbox.stop());
        sandboxUrl = sandbox.url;
        sandboxControl = sandbox.control;
      }
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

/**
 * Development engines: loaded when started, never in production. The production image has no copy of them (the
 * bundle loads them from dist/dev, which the image leaves out), so reaching this there fails with a clear message.
 */
async function loadDevEngine<T>(config: AppConfig, name: string, instead: string, load: () => Promise<T>): Promise<T> {
  if (config.env === 'production') throw new Error(`${name} is for development only: production needs ${instead}`);
  try {
    return await load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(`${name} is not part of this build (a production build leaves it out): set ${instead}`, {
      cause: err,
    });
  }
}

/** A real merchant's keys, from the files the settings name: every missing or unusable one is reported at once. */
function realPayKeys(config: AppConfig): WechatPayKeys {
  const pay = config.wechatPay;
  const problems: string[] = [];
  const need = (value: string | null, name: string): string => {
    if (!value) problems.push(`${name}: required without the WeChat sandbox`);
    return value ?? '';
  };
  const readPem = (file: string | null, name: string, parse: (pem: string) => KeyObject, what: string) => {
    if (!need(file, name)) return null;
    let pem: string;
    try {
      pem = readFileSync(file ?? '', 'utf8');
    } catch (err) {
      problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      return null;
    }
    try {
      return { pem, key: parse(pem) };
    } catch {
      problems.push(`${name}: ${file} is not ${what}`);
      return null;
    }
  };
  const merchant = readPem(
    pay.merchantPrivateKeyFile,
    'WECHAT_PAY_PRIVATE_KEY_FILE',
    createPrivateKey,
    'a PEM private key (apiclient_key.pem)',
  );
  const platform = readPem(
    pay.platformPublicKeyFile,
    'WECHAT_PAY_PUBLIC_KEY_FILE',
    createPublicKey,
    'a PEM public key (the WeChat Pay public key)',
  );
  const keys = {
    appid: need(config.wechat.appid, 'WECHAT_APPID'),
    mchid: need(pay.mchid, 'WECHAT_PAY_MCHID'),
    merchantSerial: need(pay.merchantSerial, 'WECHAT_PAY_SERIAL'),
    apiV3Key: need(pay.apiV3Key, 'WECHAT_PAY_API_V3_KEY'),
    platformPublicKeyId: need(pay.platformPublicKeyId, 'WECHAT_PAY_PUBLIC_KEY_ID'),
  };
  if (problems.length || !merchant || !platform) throw new ConfigError(problems);
  return {
    ...keys,
    merchantPrivateKeyPem: merchant.pem,
    merchantPublicKeyPem: createPublicKey(merchant.key).export({ type: 'spki', format: 'pem' }).toString(),
    platformPublicKeyPem: platform.pem,
  };
}
