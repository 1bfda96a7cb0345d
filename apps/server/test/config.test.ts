import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { MessageTemplateKey } from '@member-hub/shared';
import { loadConfig } from '../src/config';
import { parseEnv } from '../src/env';
import { configProblemsOf } from './helpers/configProblems';

describe('environment and config validation', () => {
  it('names every bad variable with its reason', () => {
    const problems = configProblemsOf(() =>
      parseEnv({ NODE_ENV: 'staging', PORT: 'abc', MONGODB_URI: 'http://x', SESSION_SECRET: 'short' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NODE_ENV: /),
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^MONGODB_URI: must start with mongodb:\/\//),
        expect.stringMatching(/^SESSION_SECRET: must be at least 32 characters/),
      ]),
    );
  });

  it('development defaults need nothing set', () => {
    const config = loadConfig(parseEnv({}));
    expect(config.env).toBe('development');
    expect(config.database.uri).toBeNull();
    expect(config.wechat.sandbox.enabled).toBe(true);
  });

  it('an external sandbox (fault runs) is used as it is, with the keys folder it was given', () => {
    const env = { WECHAT_SANDBOX_URL: 'http://127.0.0.1:4100' };
    const config = loadConfig(parseEnv({ ...env, WECHAT_SANDBOX_PAY_KEYS_DIR: '/tmp/keys' }));
    expect(config.wechat.sandbox).toMatchObject({
      enabled: true,
      url: 'http://127.0.0.1:4100',
      payKeysDir: '/tmp/keys',
    });
    expect(configProblemsOf(() => loadConfig(parseEnv(env)))).toEqual([
      expect.stringMatching(/^WECHAT_SANDBOX_PAY_KEYS_DIR/),
    ]);
    expect(
      configProblemsOf(() =>
        loadConfig(parseEnv({ ...env, WECHAT_SANDBOX_PAY_KEYS_DIR: '/tmp/keys', NODE_ENV: 'production' })),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^WECHAT_SANDBOX_URL: not allowed in production/)]));
  });

  it('production refuses development defaults', () => {
    const problems = configProblemsOf(() => loadConfig(parseEnv({ NODE_ENV: 'production' })));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MONGODB_URI: required/),
        expect.stringMatching(/^SESSION_SECRET: required/),
        expect.stringMatching(/^WECHAT_APPID: required/),
        expect.stringMatching(/^WECHAT_SECRET: required/),
        expect.stringMatching(/^PII_KEYS: required/),
        expect.stringMatching(/^PII_INDEX_KEY: required/),
        expect.stringMatching(/^MEMBER_CODE_SECRET: required/),
        expect.stringMatching(/^METRICS_TOKEN: required/),
        expect.stringMatching(/^messages\.templates\.points_changed: set your mini-program's template id/),
      ]),
    );
  });

  it('production starts from complete settings, with the sandbox off', () => {
    const config = loadConfig(
      parseEnv({
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://db.internal:27017/hub?replicaSet=rs0',
        SESSION_SECRET: 's'.repeat(40),
        WECHAT_APPID: 'wx1234567890',
        WECHAT_SECRET: 'real-secret',
        PII_KEYS: `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`,
        PII_INDEX_KEY: Buffer.alloc(32, 3).toString('base64'),
        MEMBER_CODE_SECRET: 'c'.repeat(40),
        METRICS_TOKEN: 'm'.repeat(32),
        WECHAT_PAY_MCHID: '1900000109',
        WECHAT_PAY_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
        WECHAT_PAY_PRIVATE_KEY_FILE: '/run/secrets/apiclient_key.pem',
        WECHAT_PAY_API_V3_KEY: 'k'.repeat(32),
        WECHAT_PAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092026120100000000000001',
        WECHAT_PAY_PUBLIC_KEY_FILE: '/run/secrets/pub_key.pem',
        PUBLIC_BASE_URL: 'https://hub.example.com',
        WECHAT_SUBSCRIBE_TEMPLATES: MessageTemplateKey.options.map((key, i) => `${key}=real_template_${i}`).join(','),
      }),
    );
    expect(config.wechat.sandbox.enabled).toBe(false);
    expect(config.messages.templates.points_changed).toBe('real_template_0');
    expect(config.wechatPay).toMatchObject({ mchid: '1900000109', notifyBaseUrl: 'https://hub.example.com' });
    expect(config.bootstrapOwner).toBeNull();
    expect(config.metrics.token).toBe('m'.repeat(32));
    // Rotation: the first key encrypts new data, older ones still decrypt.
    expect(config.personalData.activeKeyId).toBe('k2');
    expect(Object.keys(config.personalData.keys)).toEqual(['k2', 'k1']);
  });

  it('main exits with code 1 and a clear message on a bad variable', () => {
    const root = path.resolve(__dirname, '../../..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT:');
  });
});
