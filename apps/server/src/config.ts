// Settings = config/default.json, overlaid by config/<NODE_ENV>.json, overlaid by the environment.
// Validated once; production refuses to start on anything that would silently use a development default.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageTemplateKey } from '@member-hub/shared';
import { z } from 'zod';
import { ConfigError, type Env } from './env';

/** The folder holding config/: the repository, from src/ or from the bundle in apps/server/dist (or an image's /app). */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'config', 'default.json'))) return dir;
  return path.resolve(__dirname, '../../..');
}

const RateLimit = z
  .strictObject({ limit: z.number().int().positive(), windowSeconds: z.number().int().min(1).max(86_400) })
  .nullable();

const ConfigSchema = z.object({
  env: z.enum(['development', 'test', 'production']),
  server: z.object({
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    bodyLimit: z.string(),
    adminOrigins: z.array(z.string()),
  }),
  database: z.object({
    uri: z.string().nullable(),
    dataDir: z.string().nullable(),
    mongoLitePort: z.number().int().min(0),
  }),
  wechat: z.object({
    appid: z.string().nullable(),
    secret: z.string().nullable(),
    apiBaseUrl: z.string().nullable(),
    /** url: a sandbox already running as its own process (not started here), with payKeysDir its --pay-keys-dir. */
    sandbox: z.object({
      enabled: z.boolean(),
      port: z.number().int().min(0),
      url: z.string().nullable().default(null),
      payKeysDir: z.string().nullable().default(null),
    }),
    /** What a billed use of a WeChat capability costs, in fen (手机号快速验证组件: ¥0.03 at WeChat's standard price). */
    paidCalls: z.object({ phoneNumberFen: z.number().int().min(0).max(10_000) }),
  }),
  auth: z.object({
    sessionSecret: z.string().min(32).nullable(),
    memberTokenTtlSeconds: z.number().int().positive(),
    ownerTokenTtlSeconds: z.number().int().positive(),
    staffTokenTtlSeconds: z.number().int().positive(),
  }),
  brand: z.object({ id: z.string(), name: z.string() }),
  personalData: z.object({
    keys: z.record(z.string(), z.base64()),
    activeKeyId: z.string().nullable(),
    blindIndexKey: z.base64().nullable(),
  }),
  memberCode: z.object({
    secret: z.string().min(32).nullable(),
    windowSeconds: z.number().int().min(10).max(600),
    graceSeconds: z.number().int().min(0).max(120),
  }),
  staffInvite: z.object({ ttlHours: z.number().int().positive() }),
  /**
   * WeChat Pay (merchant). With the sandbox these stay null: keys are generated under the data folder and the
   * sandbox plays WeChat Pay. notifyBaseUrl is this server's public https address (WeChat posts notifications there).
   */
  wechatPay: z.object({
    mchid: z.string().nullable(),
    merchantSerial: z.string().nullable(),
    merchantPrivateKeyFile: z.string().nullable(),
    apiV3Key: z.string().length(32).nullable(),
    platformPublicKeyId: z.string().nullable(),
    platformPublicKeyFile: z.string().nullable(),
    apiBaseUrl: z.string().nullable(),
    notifyBaseUrl: z.string().nullable(),
  }),
  /**
   * Subscription messages: the template id of each template key (from the mini-program's 我的模板; the sandbox's fixed
   * ids in development), quiet hours in China time (marketing waits until they end) and the weekly marketing cap.
   */
  messages: z.object({
    templates: z.record(MessageTemplateKey, z.string().min(1).max(64)),
    quietHours: z.object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(23) }),
    weeklyMarketingCap: z.number().int().min(0).max(50),
    maxAttempts: z.number().int().min(1).max(20),
  }),
  /**
   * Requests per window (fixed windows aligned to the epoch) on logins, code scanning, coupon claims, referral
   * binding and the open API; a scope set to null is not limited. `store: "mongo"` keeps the counters in MongoDB so
   * every server copy shares them; "memory" counts per copy. RATE_LIMITS=off turns them off (refused in production).
   */
  rateLimits: z.object({
    enabled: z.boolean(),
    store: z.enum(['mongo', 'memory']),
    rules: z.strictObject({
      memberLogin: z.strictObject({ perIp: RateLimit }),
      staffLogin: z.strictObject({ perIp: RateLimit, perIpAndUsername: RateLimit }),
      ownerLogin: z.strictObject({ perIp: RateLimit, perIpAndUsername: RateLimit }),
      staffScan: z.strictObject({ perActor: RateLimit }),
      couponClaim: z.strictObject({ perActor: RateLimit }),
      referralBind: z.strictObject({ perActor: RateLimit, perIp: RateLimit }),
      openApi: z.strictObject({ perStore: RateLimit }),
    }),
  }),
  /** GET /metrics: the bearer token Prometheus must send; null leaves the endpoint open (never in production). */
  metrics: z.object({ token: z.string().min(24).nullable() }),
  bootstrapOwner: z.object({ username: z.string(), password: z.string().min(8) }).nullable(),
  web: z.object({ h5Dir: z.string(), adminDir: z.string() }),
  log: z.object({ level: z.string() }),
});

export type AppConfig = z.infer<typeof ConfigSchema>;

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Json, overlay: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** `k2:base64,k1:base64` -> keys by id, the first one active (older ones still decrypt during rotation). */
function piiFromEnv(text: string): Json {
  const pairs = text.split(',').map((pair) => pair.split(':') as [string, string]);
  return { keys: Object.fromEntries(pairs), activeKeyId: pairs[0]?.[0] ?? null };
}

function readJson(file: string): Json {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {};
}

function resolveFromRoot(p: string | null): string | null {
  return p === null ? null : path.resolve(REPO_ROOT, p);
}

export function loadConfig(env: Env, configDir = path.join(REPO_ROOT, 'config')): AppConfig {
  const files = deepMerge(
    readJson(path.join(configDir, 'default.json')),
    readJson(path.join(configDir, `${env.NODE_ENV}.json`)),
  );
  const fromEnv: Json = {
    env: env.NODE_ENV,
    server: {
      ...(env.HOST && { host: env.HOST }),
      ...(env.PORT !== undefined && { port: env.PORT }),
      ...(env.ADMIN_ORIGINS && { adminOrigins: env.ADMIN_ORIGINS.split(',').map((o) => o.trim()) }),
    },
    database: { uri: env.MONGODB_URI ?? null, ...(env.DATA_DIR && { dataDir: env.DATA_DIR }) },
    wechat: {
      ...(env.WECHAT_APPID && { appid: env.WECHAT_APPID }),
      ...(env.WECHAT_SECRET && { secret: env.WECHAT_SECRET }),
      ...(env.WECHAT_SANDBOX_URL && {
        sandbox: { url: env.WECHAT_SANDBOX_URL, payKeysDir: env.WECHAT_SANDBOX_PAY_KEYS_DIR ?? null },
      }),
      // Real WeChat settings switch the sandbox off: the real hosts are used instead.
      ...(env.WECHAT_APPID && env.WECHAT_SECRET && { sandbox: { enabled: false, port: 0 } }),
      ...(env.WECHAT_API_BASE && { apiBaseUrl: env.WECHAT_API_BASE }),
    },
    auth: { ...(env.SESSION_SECRET && { sessionSecret: env.SESSION_SECRET }) },
    ...(env.OWNER_USERNAME &&
      env.OWNER_PASSWORD && { bootstrapOwner: { username: env.OWNER_USERNAME, password: env.OWNER_PASSWORD } }),
    ...(env.LOG_LEVEL && { log: { level: env.LOG_LEVEL } }),
    ...(env.METRICS_TOKEN && { metrics: { token: env.METRICS_TOKEN } }),
    ...(env.RATE_LIMITS && { rateLimits: { enabled: env.RATE_LIMITS === 'on' } }),
    personalData: {
      ...(env.PII_KEYS && piiFromEnv(env.PII_KEYS)),
      ...(env.PII_INDEX_KEY && { blindIndexKey: env.PII_INDEX_KEY }),
    },
    ...(env.MEMBER_CODE_SECRET && { memberCode: { secret: env.MEMBER_CODE_SECRET } }),
    wechatPay: {
      ...(env.WECHAT_PAY_MCHID && { mchid: env.WECHAT_PAY_MCHID }),
      ...(env.WECHAT_PAY_SERIAL && { merchantSerial: env.WECHAT_PAY_SERIAL }),
      ...(env.WECHAT_PAY_PRIVATE_KEY_FILE && { merchantPrivateKeyFile: env.WECHAT_PAY_PRIVATE_KEY_FILE }),
      ...(env.WECHAT_PAY_API_V3_KEY && { apiV3Key: env.WECHAT_PAY_API_V3_KEY }),
      ...(env.WECHAT_PAY_PUBLIC_KEY_ID && { platformPublicKeyId: env.WECHAT_PAY_PUBLIC_KEY_ID }),
      ...(env.WECHAT_PAY_PUBLIC_KEY_FILE && { platformPublicKeyFile: env.WECHAT_PAY_PUBLIC_KEY_FILE }),
      ...(env.WECHAT_PAY_API_BASE && { apiBaseUrl: env.WECHAT_PAY_API_BASE }),
      ...(env.PUBLIC_BASE_URL && { notifyBaseUrl: env.PUBLIC_BASE_URL }),
    },
    brand: { ...(env.BRAND_ID && { id: env.BRAND_ID }), ...(env.BRAND_NAME && { name: env.BRAND_NAME }) },
    ...(env.WECHAT_SUBSCRIBE_TEMPLATES && {
      messages: {
        templates: Object.fromEntries(env.WECHAT_SUBSCRIBE_TEMPLATES.split(',').map((pair) => pair.split('='))),
      },
    }),
  };
  const parsed = ConfigSchema.safeParse(deepMerge(files, fromEnv));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `config ${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  config.database.dataDir = resolveFromRoot(config.database.dataDir);
  if (config.wechat.sandbox.url && !config.wechat.sandbox.payKeysDir)
    throw new ConfigError(['WECHAT_SANDBOX_PAY_KEYS_DIR: required with WECHAT_SANDBOX_URL (its --pay-keys-dir)']);
  config.web = {
    h5Dir: path.resolve(REPO_ROOT, config.web.h5Dir),
    adminDir: path.resolve(REPO_ROOT, config.web.adminDir),
  };
  const { activeKeyId, keys } = config.personalData;
  if (activeKeyId && !keys[activeKeyId])
    throw new ConfigError([`personalData.activeKeyId: no key named ${activeKeyId}`]);
  if (config.env === 'production') assertProductionReady(config, readJson(path.join(configDir, 'default.json')));
  return config;
}

function assertProductionReady(config: AppConfig, defaults: Json): void {
  const problems: string[] = [];
  // The defaults are the sandbox's template ids: a real mini-program has its own (小程序后台 → 订阅消息 → 我的模板).
  const sandboxTemplates = ((defaults.messages ?? {}) as { templates?: Record<string, string> }).templates ?? {};
  for (const [key, id] of Object.entries(config.messages.templates))
    if (sandboxTemplates[key] === id)
      problems.push(
        `messages.templates.${key}: set your mini-program's template id in WECHAT_SUBSCRIBE_TEMPLATES (${key}=<id>,...) or config/production.json`,
      );
  if (!config.database.uri) problems.push('MONGODB_URI: required in production (mongo-lite is for development only)');
  if (!config.auth.sessionSecret) problems.push('SESSION_SECRET: required in production (at least 32 characters)');
  if (!config.wechat.appid) problems.push('WECHAT_APPID: required in production');
  if (!config.wechat.secret) problems.push('WECHAT_SECRET: required in production');
  if (config.wechat.sandbox.enabled) problems.push('wechat.sandbox.enabled: must be false in production');
  if (config.wechat.sandbox.url) problems.push('WECHAT_SANDBOX_URL: not allowed in production');
  if (!config.personalData.activeKeyId) problems.push('PII_KEYS: required in production (id:base64 32-byte key)');
  if (!config.personalData.blindIndexKey) problems.push('PII_INDEX_KEY: required in production (base64 32 bytes)');
  if (!config.memberCode.secret) problems.push('MEMBER_CODE_SECRET: required in production (at least 32 characters)');
  if (!config.metrics.token)
    problems.push('METRICS_TOKEN: required in production (24+ characters; Prometheus sends it as a Bearer token)');
  if (!config.rateLimits.enabled)
    problems.push('RATE_LIMITS=off: not allowed in production (rate limits guard logins and code scanning)');
  if (config.rateLimits.store !== 'mongo')
    problems.push('rateLimits.store: must be "mongo" in production (server copies share the counters there)');
  const pay = config.wechatPay;
  const payNeeds: Array<[unknown, string]> = [
    [pay.mchid, 'WECHAT_PAY_MCHID'],
    [pay.merchantSerial, 'WECHAT_PAY_SERIAL (the merchant certificate serial)'],
    [pay.merchantPrivateKeyFile, 'WECHAT_PAY_PRIVATE_KEY_FILE (apiclient_key.pem)'],
    [pay.apiV3Key, 'WECHAT_PAY_API_V3_KEY (32 characters)'],
    [pay.platformPublicKeyId, 'WECHAT_PAY_PUBLIC_KEY_ID (PUB_KEY_ID_...)'],
    [pay.platformPublicKeyFile, 'WECHAT_PAY_PUBLIC_KEY_FILE (the WeChat Pay public key)'],
    [pay.notifyBaseUrl, 'PUBLIC_BASE_URL (https address WeChat Pay notifies)'],
  ];
  for (const [value, name] of payNeeds) if (!value) problems.push(`${name}: required in production`);
  if (problems.length) throw new ConfigError(problems);
}
