import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { randomAlphanumeric, randomDigits, randomHex } from '../../core/ids';

/**
 * Everything a merchant and WeChat Pay share, in public-key mode (the mode for new merchants): the merchant's API
 * key pair (it signs requests and paySign; its certificate serial names it), the platform's key pair (WeChat signs
 * answers and notifications with it; its id `PUB_KEY_ID_…` names it) and the APIv3 key that encrypts resources.
 */
export interface SandboxPayKeys {
  mchid: string;
  /** The mini-program the merchant number is bound to. */
  appid: string;
  /** 32 ASCII characters, used as the AES-256-GCM key of notification resources. */
  apiV3Key: string;
  /** 40 uppercase hex digits: the serial number of the merchant's API certificate. */
  merchantSerial: string;
  /** PEM, PKCS#8. */
  merchantPrivateKeyPem: string;
  /** PEM, SPKI. */
  merchantPublicKeyPem: string;
  /** 'PUB_KEY_ID_' + digits. */
  platformPublicKeyId: string;
  platformPrivateKeyPem: string;
  platformPublicKeyPem: string;
}

export const DEFAULT_MCHID = '1900000109';
export const PAY_KEYS_FILE = 'wechatpay-sandbox.json';

const KEY_FIELDS = [
  'mchid',
  'appid',
  'apiV3Key',
  'merchantSerial',
  'merchantPrivateKeyPem',
  'merchantPublicKeyPem',
  'platformPublicKeyId',
  'platformPrivateKeyPem',
  'platformPublicKeyPem',
] as const satisfies ReadonlyArray<keyof SandboxPayKeys>;

/**
 * The sandbox's WeChat Pay keys. With a `dir`, they live in `<dir>/wechatpay-sandbox.json` so the server and the
 * sandbox agree across restarts: the file is read when it exists for the same appid (and mchid, when one is
 * asked for), else new keys are written there (owner-only: it holds private keys). Without a dir they are made in
 * memory, for tests.
 */
export function ensureSandboxPayKeys(opts: { dir: string | null; appid: string; mchid?: string }): SandboxPayKeys {
  const mchid = opts.mchid ?? DEFAULT_MCHID;
  if (opts.dir === null) return generatePayKeys(opts.appid, mchid);
  const file = path.join(opts.dir, PAY_KEYS_FILE);
  const stored = readPayKeys(file);
  if (stored && stored.appid === opts.appid && (opts.mchid === undefined || stored.mchid === opts.mchid)) {
    return stored;
  }
  const keys = generatePayKeys(opts.appid, mchid);
  fs.mkdirSync(opts.dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync applies the mode only when it creates the file; an old file keeps its own.
  fs.chmodSync(file, 0o600);
  return keys;
}

/** The stored keys, or undefined when the file is missing or is not a complete key set (it is then rewritten). */
function readPayKeys(file: string): SandboxPayKeys | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  if (!KEY_FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '')) return undefined;
  return Object.fromEntries(KEY_FIELDS.map((field) => [field, record[field]])) as unknown as SandboxPayKeys;
}

function generatePayKeys(appid: string, mchid: string): SandboxPayKeys {
  const merchant = rsaKeyPair();
  const platform = rsaKeyPair();
  return {
    mchid,
    appid,
    apiV3Key: randomAlphanumeric(32),
    merchantSerial: randomHex(20).toUpperCase(),
    merchantPrivateKeyPem: merchant.privateKey,
    merchantPublicKeyPem: merchant.publicKey,
    platformPublicKeyId: `PUB_KEY_ID_01${mchid}${randomDigits(14)}`,
    platformPrivateKeyPem: platform.privateKey,
    platformPublicKeyPem: platform.publicKey,
  };
}

function rsaKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
