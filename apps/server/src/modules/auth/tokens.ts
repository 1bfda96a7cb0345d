// Session tokens are short JWTs (HS256) naming who holds them and in which role. The server stays stateless,
// so any number of copies can verify them with the shared secret.
import { webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { errors } from '../../errors';

/** Who a token names. Roles and stores are looked up per request (see middlewares/auth), never trusted from the token. */
export type TokenSubject =
  | { kind: 'member'; id: string }
  | { kind: 'staff'; id: string }
  | { kind: 'owner'; id: string };
type Kind = TokenSubject['kind'];

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

const ISSUER = 'member-hub';
/** Distinct tokens remembered as verified: every signed-in till, phone and admin tab of a busy day, a few MB. */
const VERIFIED_TOKENS = 20_000;

export class TokenService {
  /**
   * Imported once: handing jose the raw bytes makes it import the key again on every sign and verify, which cost
   * a fifth of a request's CPU at the till.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /**
   * Tokens whose signature was already checked, by their exact text. A till sends the same token with every
   * request, and WebCrypto's HMAC (a trip to the thread pool) was a tenth of a purchase's CPU. A signature that
   * held once holds forever, so only the expiry is checked again on a hit.
   */
  private readonly verified = new LRUCache<string, { subject: TokenSubject; exp: number }>({ max: VERIFIED_TOKENS });
  constructor(
    secret: string,
    private readonly ttlSeconds: Record<Kind, number>,
    private readonly now: () => number = Date.now,
  ) {
    this.key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  async issue(subject: TokenSubject): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now() / 1000);
    const exp = issuedAt + this.ttlSeconds[subject.kind];
    const token = await new SignJWT({ kind: subject.kind })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(subject.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(exp)
      .sign(await this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<TokenSubject> {
    const known = this.verified.get(token);
    if (known) {
      // The same rule as jose's: expired once the clock reaches exp.
      if (known.exp <= Math.floor(this.now() / 1000)) throw errors.tokenExpired();
      return known.subject;
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') throw errors.tokenInvalid();
      const kind = payload.kind;
      if ((kind === 'member' || kind === 'staff' || kind === 'owner') && /^[0-9a-f]{24}$/.test(payload.sub)) {
        const subject: TokenSubject = { kind, id: payload.sub };
        this.verified.set(token, { subject, exp: payload.exp });
        return subject;
      }
      throw errors.tokenInvalid();
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw errors.tokenExpired();
      throw errors.tokenInvalid();
    }
  }
}
