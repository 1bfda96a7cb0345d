import { createHash, randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random [A-Za-z0-9] string, the alphabet of real `wx.login` codes. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Random decimal digits, the alphabet of WeChat Pay's transaction and refund ids. */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += randomInt(10).toString();
  return out;
}

/** What code2Session returns: 16 random bytes, base64. */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64');
}

/**
 * A 28-character id shaped like a real openid/unionid ("o" + 27 url-safe characters), derived from `seed`,
 * so the same browser user keeps the same openid across sandbox restarts.
 */
export function derivedWechatId(seed: string): string {
  return `o${createHash('sha256').update(seed).digest('base64url').slice(0, 27)}`;
}

/** WeChat appends a request id to every errmsg; clients must not match errmsg exactly. */
export function requestId(): string {
  return `${randomHex(4)}-${randomHex(4)}-${randomHex(4)}`;
}
