// The production build run the way production runs it: plain node on the bundle with NODE_ENV=production. Every
// missing setting stops it with exit code 1 and a line naming that setting; with all of them it serves from the
// MongoDB and the WeChat hosts it is given and never starts mongo-lite or the sandbox itself. Here those are a
// mongo-lite and a sandbox this test starts on 127.0.0.1; the bundle is built without dist/dev, as in the image.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MongoLite, startMongoLite } from '@member-hub/mongo-lite';
import { ApiPaths, MessageTemplateKey } from '@member-hub/shared';
import { ensureSandboxPayKeys, startWechatSandbox, type WechatSandbox } from '@member-hub/wechat-sandbox';
import mongoose from 'mongoose';
import { buildServer, DIST_DIR } from '../scripts/build';
import { request, sandboxLoginCode } from './helpers/http';

const APPID = 'wx_prod_boot_test';
const SECRET = 'prod-boot-test-secret';
const TEMPLATE_KEYS = MessageTemplateKey.options;

let outdir: string;
let secretsDir: string;
let mongo: MongoLite;
let sandbox: WechatSandbox;
let env: Record<string, string>;

beforeAll(async () => {
  // Inside apps/server/dist (git-ignored) so the bundle finds node_modules and config/ as it does in the image.
  mkdirSync(DIST_DIR, { recursive: true });
  outdir = mkdtempSync(path.join(DIST_DIR, 'boot-test-'));
  await buildServer(outdir);
  secretsDir = mkdtempSync(path.join(os.tmpdir(), 'hub-secrets-'));
  const keys = ensureSandboxPayKeys({ dir: null, appid: APPID });
  writeFileSync(path.join(secretsDir, 'apiclient_key.pem'), keys.merchantPrivateKeyPem, { mode: 0o600 });
  writeFileSync(path.join(secretsDir, 'pub_key.pem'), keys.platformPublicKeyPem);
  writeFileSync(path.join(secretsDir, 'not-a-key.pem'), 'hello\n');
  mongo = await startMongoLite();
  sandbox = await startWechatSandbox({ apps: [{ appid: APPID, secret: SECRET }], pay: { keys } });
  const uri = new URL(mongo.uri);
  uri.pathname = '/memberhub';
  env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: uri.toString(),
    SESSION_SECRET: 's'.repeat(40),
    WECHAT_APPID: APPID,
    WECHAT_SECRET: SECRET,
    WECHAT_API_BASE: sandbox.url,
    PII_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    PII_INDEX_KEY: Buffer.alloc(32, 3).toString('base64'),
    MEMBER_CODE_SECRET: 'c'.repeat(40),
    METRICS_TOKEN: 'm'.repeat(32),
    WECHAT_PAY_MCHID: keys.mchid,
    WECHAT_PAY_SERIAL: keys.merchantSerial,
    WECHAT_PAY_PRIVATE_KEY_FILE: path.join(secretsDir, 'apiclient_key.pem'),
    WECHAT_PAY_API_V3_KEY: keys.apiV3Key,
    WECHAT_PAY_PUBLIC_KEY_ID: keys.platformPublicKeyId,
    WECHAT_PAY_PUBLIC_KEY_FILE: path.join(secretsDir, 'pub_key.pem'),
    WECHAT_PAY_API_BASE: sandbox.url,
    // Only named in payment requests (the notify_url); nothing connects to it here.
    PUBLIC_BASE_URL: 'https://127.0.0.1',
    WECHAT_SUBSCRIBE_TEMPLATES: TEMPLATE_KEYS.map((key, i) => `${key}=prod_template_${i}`).join(','),
  };
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  await mongo?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the bundle from an unrelated folder with only these variables (and PATH). */
function startServer(vars: Record<string, string>) {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(outdir, 'main.js')], {
    cwd: secretsDir,
    env: { PATH: process.env.PATH ?? '', ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, ...out })));
  return { child, out, exited };
}

async function runToExit(vars: Record<string, string>, timeoutMs = 15_000): Promise<Run> {
  const { child, exited } = startServer(vars);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

const without = (name: string) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));

describe('the production build', () => {
  it('is one bundle without the development engines', () => {
    expect(existsSync(path.join(outdir, 'main.js'))).toBe(true);
    expect(existsSync(path.join(outdir, 'dev'))).toBe(false);
  });

  it('lists every missing setting at once with nothing set but NODE_ENV', async () => {
    const run = await runToExit({ NODE_ENV: 'production' });
    expect(run.code).toBe(1);
    for (const name of Object.keys(env).filter((k) => !/^(NODE_ENV|HOST|PORT|WECHAT_(PAY_)?API_BASE)$/.test(k))) {
      expect(run.stderr).toContain(name);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /); // the operator gets the list, not a stack trace
    expect(run.stdout).not.toContain('mongo-lite started');
  });

  const required = [
    'MONGODB_URI',
    'SESSION_SECRET',
    'WECHAT_APPID',
    'WECHAT_SECRET',
    'PII_KEYS',
    'PII_INDEX_KEY',
    'MEMBER_CODE_SECRET',
    'METRICS_TOKEN',
    'WECHAT_PAY_MCHID',
    'WECHAT_PAY_SERIAL',
    'WECHAT_PAY_PRIVATE_KEY_FILE',
    'WECHAT_PAY_API_V3_KEY',
    'WECHAT_PAY_PUBLIC_KEY_ID',
    'WECHAT_PAY_PUBLIC_KEY_FILE',
    'PUBLIC_BASE_URL',
    'WECHAT_SUBSCRIBE_TEMPLATES',
  ];
  it.each(required)('refuses to start without %s and says so', async (name) => {
    const run = await runToExit(without(name));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid configuration:');
    expect(run.stderr).toContain(name);
    expect(run.stdout).not.toContain('mongo-lite started');
  });

  it.each([
    [
      'WECHAT_PAY_PRIVATE_KEY_FILE',
      'missing.pem',
      /WECHAT_PAY_PRIVATE_KEY_FILE: cannot read .*missing\.pem \(ENOENT\)/,
    ],
    ['WECHAT_PAY_PUBLIC_KEY_FILE', 'not-a-key.pem', /WECHAT_PAY_PUBLIC_KEY_FILE: .*not-a-key\.pem is not a PEM public/],
  ])('refuses %s naming %s, a file it cannot use', async (name, file, message) => {
    const run = await runToExit({ ...env, [name]: path.join(secretsDir, file) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('boots on the given MongoDB and WeChat hosts, serves, and stops cleanly on SIGTERM', async () => {
    const server = startServer(env);
    try {
      const started = Date.now();
      while (!server.out.stdout.includes('member hub is up')) {
        const early = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r(null), 100))]);
        if (early) throw new Error(`exited before it was up: ${JSON.stringify(early)}`);
        if (Date.now() - started > 20_000) throw new Error(`not up in 20 s:\n${server.out.stdout}${server.out.stderr}`);
      }
      const url = /API\s+: (http:\/\/127\.0\.0\.1:\d+)/.exec(server.out.stdout)?.[1] ?? '';
      expect(server.out.stdout).toMatch(/WeChat sandbox\s+: \(off: real WeChat\)/);
      expect(server.out.stdout).toMatch(/Database\s+: MONGODB_URI/);
      expect(server.out.stdout).not.toContain('mongo-lite started');
      expect((await request(url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
      expect((await request(url, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
      // The H5 page is told there is no sandbox: it uses the real wx APIs.
      expect((await request(url, 'GET', ApiPaths.clientConfig)).body).toEqual({ appid: APPID, sandboxBaseUrl: null });
      // A member login goes to WECHAT_API_BASE (code2Session) and lands in the MongoDB it was given.
      const code = await sandboxLoginCode(sandbox.url, APPID, 'o_prod_boot_member');
      const login = await request(url, 'POST', ApiPaths.wechatLogin, { json: { code } });
      expect(login.status).toBe(201);
      const conn = await mongoose.createConnection(mongo.uri, { dbName: 'memberhub' }).asPromise();
      try {
        expect(await conn.collection('members').countDocuments({})).toBe(1);
      } finally {
        await conn.close();
      }
    } finally {
      server.child.kill('SIGTERM');
    }
    const run = await server.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('member hub stopped cleanly');
  }, 40_000);
});
