import { createCipheriv, sign, verify } from 'node:crypto';
import { randomAlphanumeric, randomHex } from '../../core/ids';
import type { SandboxPayKeys } from './keys';

/** The one signature scheme of APIv3: RSA-SHA256 (PKCS#1 v1.5), base64. */
export const SIGNATURE_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export function rsaSign(privateKeyPem: string, message: string): string {
  return sign('RSA-SHA256', Buffer.from(message, 'utf8'), privateKeyPem).toString('base64');
}

export function rsaVerify(publicKeyPem: string, message: string, signature: string): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(message, 'utf8'), publicKeyPem, Buffer.from(signature, 'base64'));
  } catch {
    // A signature that is not even base64 of the right length is simply a wrong one.
    return false;
  }
}

/** What the merchant signs for each request; `body` is '' for a GET. */
export function requestSignMessage(
  method: string,
  pathAndQuery: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** What WeChat signs for each answer and notification. */
export function wechatpaySignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** What the merchant signs for `wx.requestPayment` (paySign). */
export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

const AUTHORIZATION_FIELDS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;

/**
 * The fields of `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…`; undefined unless the header
 * has that schema and each of the five fields exactly once (in any order).
 */
export function parseAuthorization(header: string | undefined): AuthorizationFields | undefined {
  if (!header?.startsWith(`${SIGNATURE_SCHEMA} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(SIGNATURE_SCHEMA.length + 1).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!match?.[1] || match[2] === undefined || fields.has(match[1])) return undefined;
    fields.set(match[1], match[2]);
  }
  if (fields.size !== AUTHORIZATION_FIELDS.length) return undefined;
  const parsed: Partial<AuthorizationFields> = {};
  for (const name of AUTHORIZATION_FIELDS) {
    const value = fields.get(name);
    if (!value) return undefined;
    parsed[name] = value;
  }
  return parsed as AuthorizationFields;
}

/** The headers that let the merchant check an answer or a notification came from WeChat Pay. */
export function wechatpaySignatureHeaders(
  keys: SandboxPayKeys,
  timestamp: number,
  body: string,
): Record<string, string> {
  const nonce = randomHex(16);
  return {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(keys.platformPrivateKeyPem, wechatpaySignMessage(String(timestamp), nonce, body)),
    'Wechatpay-Serial': keys.platformPublicKeyId,
    'Wechatpay-Signature-Type': SIGNATURE_SCHEMA,
  };
}

/** AEAD_AES_256_GCM with the APIv3 key: base64 of ciphertext followed by the 16-byte tag, and the 12-char nonce. */
export function encryptResource(
  apiV3Key: string,
  plaintext: string,
  associatedData: string,
): { ciphertext: string; nonce: string } {
  const nonce = randomAlphanumeric(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: sealed.toString('base64'), nonce };
}
