import { CHINA_UTC_OFFSET_MS } from '../../core/china-time';
import type { SandboxClock } from '../../core/clock';
import { randomAlphanumeric } from '../../core/ids';
import { wechatErrors } from '../../core/wechat-errors';

export const ACCESS_TOKEN_TTL_MS = 7200 * 1000;
/** In normal mode WeChat hands out the next token during the last five minutes; both stay valid meanwhile. */
export const RENEW_WINDOW_MS = 5 * 60 * 1000;
/** Force-refresh mode: at most 20 a day, and a call within 30 s of the previous one does not refresh. */
export const FORCE_REFRESH_DAILY_LIMIT = 20;
export const FORCE_REFRESH_MIN_INTERVAL_MS = 30 * 1000;

interface TokenRecord {
  token: string;
  appid: string;
  expiresAt: number;
  /** Replaced by a force refresh or invalidated through the control API: answers 40001. */
  revoked: boolean;
}

interface ForceRefreshUsage {
  day: number;
  count: number;
  lastAt: number;
}

export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

/** Stable access tokens (`/cgi-bin/stable_token`) and their checks on every API that takes `access_token`. */
export class AccessTokens {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly latestByApp = new Map<string, TokenRecord>();
  private readonly forceRefreshes = new Map<string, ForceRefreshUsage>();

  constructor(private readonly clock: SandboxClock) {}

  stableToken(appid: string, forceRefresh: boolean): IssuedToken {
    const now = this.clock.now();
    const latest = this.latestByApp.get(appid);
    const usable = latest && !latest.revoked && now < latest.expiresAt ? latest : undefined;
    if (forceRefresh) return this.forceRefresh(appid, usable, now);
    if (usable && now < usable.expiresAt - RENEW_WINDOW_MS) return present(usable, now);
    return present(this.mint(appid, now), now);
  }

  /** The appid the token belongs to; 41001 when missing, 40001 when unknown or revoked, 42001 when expired. */
  verify(token: string | undefined): string {
    if (!token) throw wechatErrors.accessTokenMissing();
    const record = this.byToken.get(token);
    if (!record || record.revoked) throw wechatErrors.invalidCredential();
    if (this.clock.now() >= record.expiresAt) throw wechatErrors.accessTokenExpired();
    return record.appid;
  }

  /** Makes the app's (or every app's) live tokens expire now: their next use answers 42001. */
  expire(appid?: string): number {
    const now = this.clock.now();
    return this.live(appid, now).map((record) => {
      record.expiresAt = now;
      return record;
    }).length;
  }

  /** Revokes the app's (or every app's) live tokens: their next use answers 40001. */
  invalidate(appid?: string): number {
    return this.live(appid, this.clock.now()).map((record) => {
      record.revoked = true;
      return record;
    }).length;
  }

  reset(): void {
    this.byToken.clear();
    this.latestByApp.clear();
    this.forceRefreshes.clear();
  }

  private forceRefresh(appid: string, usable: TokenRecord | undefined, now: number): IssuedToken {
    const day = Math.floor((now + CHINA_UTC_OFFSET_MS) / 86_400_000);
    const usage = this.forceRefreshes.get(appid);
    const today = usage && usage.day === day ? usage : { day, count: 0, lastAt: Number.NEGATIVE_INFINITY };
    if (usable && now - today.lastAt < FORCE_REFRESH_MIN_INTERVAL_MS) return present(usable, now);
    if (today.count >= FORCE_REFRESH_DAILY_LIMIT) throw wechatErrors.dailyQuotaReached();
    this.forceRefreshes.set(appid, { day, count: today.count + 1, lastAt: now });
    for (const record of this.live(appid, now)) record.revoked = true;
    return present(this.mint(appid, now), now);
  }

  private mint(appid: string, now: number): TokenRecord {
    const record: TokenRecord = {
      token: `sandbox_${randomAlphanumeric(120)}`,
      appid,
      expiresAt: now + ACCESS_TOKEN_TTL_MS,
      revoked: false,
    };
    this.byToken.set(record.token, record);
    this.latestByApp.set(appid, record);
    return record;
  }

  private live(appid: string | undefined, now: number): TokenRecord[] {
    return [...this.byToken.values()].filter(
      (record) => (appid === undefined || record.appid === appid) && !record.revoked && now < record.expiresAt,
    );
  }
}

function present(record: TokenRecord, now: number): IssuedToken {
  return { access_token: record.token, expires_in: Math.ceil((record.expiresAt - now) / 1000) };
}
