// Session tokens are short JWTs (HS256) naming who holds them and in which role. The server stays stateless,
// so any number of copies can verify them with the shared secret.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../../errors';

export type Principal = { kind: 'member'; memberId: string } | { kind: 'owner'; ownerId: string };

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

const ISSUER = 'member-hub';

export class TokenService {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    private readonly ttlSeconds: { member: number; owner: number },
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(principal: Principal): Promise<IssuedToken> {
    const subject = principal.kind === 'member' ? principal.memberId : principal.ownerId;
    const issuedAt = Math.floor(this.now() / 1000);
    const exp = issuedAt + this.ttlSeconds[principal.kind];
    const token = await new SignJWT({ kind: principal.kind })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string') throw errors.tokenInvalid();
      if (payload.kind === 'member') return { kind: 'member', memberId: payload.sub };
      if (payload.kind === 'owner') return { kind: 'owner', ownerId: payload.sub };
      throw errors.tokenInvalid();
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw errors.tokenExpired();
      throw errors.tokenInvalid();
    }
  }
}
