import { sign, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSandboxPayKeys, type SandboxPayKeys } from '../src';

function pairsMatch(privateKeyPem: string, publicKeyPem: string): boolean {
  const message = Buffer.from('wechatpay');
  return verify('RSA-SHA256', message, publicKeyPem, sign('RSA-SHA256', message, privateKeyPem));
}

describe('ensureSandboxPayKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wechatpay-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes RSA-2048 pairs and ids shaped like real ones, in memory without a dir', () => {
    const keys = ensureSandboxPayKeys({ dir: null, appid: 'wx_test_app' });
    expect(keys).toEqual({
      mchid: '1900000109',
      appid: 'wx_test_app',
      apiV3Key: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      merchantSerial: expect.stringMatching(/^[0-9A-F]{40}$/),
      merchantPrivateKeyPem: expect.stringContaining('-----BEGIN PRIVATE KEY-----'),
      merchantPublicKeyPem: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
      platformPublicKeyId: expect.stringMatching(/^PUB_KEY_ID_\d+$/),
      platformPrivateKeyPem: expect.stringContaining('-----BEGIN PRIVATE KEY-----'),
      platformPublicKeyPem: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
    });
    expect(pairsMatch(keys.merchantPrivateKeyPem, keys.merchantPublicKeyPem)).toBe(true);
    expect(pairsMatch(keys.platformPrivateKeyPem, keys.platformPublicKeyPem)).toBe(true);
    expect(pairsMatch(keys.merchantPrivateKeyPem, keys.platformPublicKeyPem)).toBe(false);
    expect(ensureSandboxPayKeys({ dir: null, appid: 'wx_test_app', mchid: '1230000109' }).mchid).toBe('1230000109');
  });

  it('writes <dir>/wechatpay-sandbox.json (owner-only, dir created) and reads it back', () => {
    const nested = path.join(dir, 'a', 'b');
    const first = ensureSandboxPayKeys({ dir: nested, appid: 'wx_test_app' });
    const file = path.join(nested, 'wechatpay-sandbox.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
    expect(ensureSandboxPayKeys({ dir: nested, appid: 'wx_test_app' })).toEqual(first);
    expect(ensureSandboxPayKeys({ dir: nested, appid: 'wx_test_app', mchid: first.mchid })).toEqual(first);
  });

  it('replaces the file for another appid or mchid, and when it is not a complete key set', () => {
    const first = ensureSandboxPayKeys({ dir, appid: 'wx_test_app' });
    const other = ensureSandboxPayKeys({ dir, appid: 'wx_other_app' });
    expect(other.appid).toBe('wx_other_app');
    expect(other.merchantPrivateKeyPem).not.toBe(first.merchantPrivateKeyPem);
    expect(ensureSandboxPayKeys({ dir, appid: 'wx_other_app', mchid: '1230000109' }).mchid).toBe('1230000109');

    const file = path.join(dir, 'wechatpay-sandbox.json');
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SandboxPayKeys>;
    delete stored.apiV3Key;
    fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o644 });
    const repaired = ensureSandboxPayKeys({ dir, appid: 'wx_other_app' });
    expect(repaired.apiV3Key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, '{oops');
    expect(ensureSandboxPayKeys({ dir, appid: 'wx_other_app' }).appid).toBe('wx_other_app');
  });
});
