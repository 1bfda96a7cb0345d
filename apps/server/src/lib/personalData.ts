// Phone numbers at rest: AES-256-GCM with a key id stored beside the ciphertext (so keys can rotate), plus an
// HMAC-SHA256 blind index that allows exact lookup without decrypting anything.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface SealedValue {
  /** key id */
  k: string;
  /** base64 12-byte nonce */
  n: string;
  /** base64 ciphertext followed by the 16-byte tag */
  c: string;
}

export interface PersonalDataKeys {
  keys: Record<string, string>;
  activeKeyId: string | null;
  blindIndexKey: string | null;
}

const TAG_BYTES = 16;

export class PersonalDataVault {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKeyId: string;
  private readonly indexKey: Buffer;

  constructor(config: PersonalDataKeys) {
    for (const [id, b64] of Object.entries(config.keys)) {
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`personal data key ${id} must be 32 bytes`);
      this.keys.set(id, key);
    }
    if (!config.activeKeyId || !this.keys.has(config.activeKeyId)) throw new Error('personal data: no active key');
    if (!config.blindIndexKey) throw new Error('personal data: no blind index key');
    this.activeKeyId = config.activeKeyId;
    this.indexKey = Buffer.from(config.blindIndexKey, 'base64');
  }

  seal(plain: string, context: string): SealedValue {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    // The context (e.g. "phone") is authenticated, so a ciphertext cannot be moved to another field.
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { k: this.activeKeyId, n: nonce.toString('base64'), c: body.toString('base64') };
  }

  open(sealed: SealedValue, context: string): string {
    const key = this.keys.get(sealed.k);
    if (!key) throw new Error(`personal data key ${sealed.k} is not configured`);
    const body = Buffer.from(sealed.c, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.n, 'base64'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Deterministic, keyed: equal inputs give equal indexes, and the index reveals nothing without the key. */
  blindIndex(value: string, context: string): string {
    return createHmac('sha256', this.indexKey).update(`${context}\0${value}`).digest('base64url');
  }

  needsRotation(sealed: SealedValue): boolean {
    return sealed.k !== this.activeKeyId;
  }
}

/** Mainland numbers as WeChat returns them in purePhoneNumber: 11 digits. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
}

/** 13812341234 -> 138****1234 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
