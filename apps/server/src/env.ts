// The process environment, validated once at boot. Nothing else in the server reads process.env.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.optional(),
  HOST: optionalText,
  MONGODB_URI: optionalText.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  DATA_DIR: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SESSION_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,
  WECHAT_API_BASE: optionalText.pipe(z.url('must be a URL such as https://api.weixin.qq.com').optional()),
  /**
   * Outside production: a WeChat sandbox already running as its own process (fault runs restart the server without
   * losing its payments and notifications), with the folder its --pay-keys-dir names. Nothing is started then.
   */
  WECHAT_SANDBOX_URL: optionalText.pipe(z.url('must be a URL such as http://127.0.0.1:4100').optional()),
  WECHAT_SANDBOX_PAY_KEYS_DIR: optionalText,
  ADMIN_ORIGINS: optionalText,
  /** Personal-data encryption keys, `id:base64key,...` (32-byte keys); the first is used for new data. */
  PII_KEYS: optionalText.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]{43,44})*$/,
        'must be id:base64key[,id:base64key...] with 32-byte keys',
      )
      .optional(),
  ),
  PII_INDEX_KEY: optionalText.pipe(z.base64('must be base64').optional()),
  MEMBER_CODE_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  BRAND_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z0-9-]{2,32}$/, 'must be 2-32 of a-z, 0-9, -')
      .optional(),
  ),
  BRAND_NAME: optionalText,
  WECHAT_PAY_MCHID: optionalText,
  WECHAT_PAY_SERIAL: optionalText,
  WECHAT_PAY_PRIVATE_KEY_FILE: optionalText,
  WECHAT_PAY_API_V3_KEY: optionalText.pipe(z.string().length(32, 'must be 32 characters').optional()),
  WECHAT_PAY_PUBLIC_KEY_ID: optionalText,
  WECHAT_PAY_PUBLIC_KEY_FILE: optionalText,
  WECHAT_PAY_API_BASE: optionalText.pipe(z.url('must be a URL such as https://api.mch.weixin.qq.com').optional()),
  PUBLIC_BASE_URL: optionalText.pipe(z.url('must be a URL such as https://hub.example.com').optional()),
  /** `points_changed=<template id>,points_expiring=<id>,...`: the mini-program's subscription templates. */
  WECHAT_SUBSCRIBE_TEMPLATES: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z_]+=[A-Za-z0-9_-]+(,[a-z_]+=[A-Za-z0-9_-]+)*$/, 'must be key=id pairs separated by commas')
      .optional(),
  ),
  OWNER_USERNAME: optionalText,
  OWNER_PASSWORD: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  /** The bearer token Prometheus sends to GET /metrics; required in production, open without one elsewhere. */
  METRICS_TOKEN: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  /** `off` switches the request rate limits off (load runs); production refuses it. */
  RATE_LIMITS: optionalText.pipe(z.enum(['on', 'off'], 'must be on or off').optional()),
});

export type Env = z.infer<typeof EnvSchema>;

/** Thrown at boot with one line per bad setting; main.ts prints them and exits 1. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}
