import type { SandboxClock } from '../../core/clock';
import { randomHex } from '../../core/ids';
import { wechatErrors } from '../../core/wechat-errors';

/** A getPhoneNumber code, like a login code, lives five minutes and works once. */
export const PHONE_CODE_TTL_MS = 5 * 60 * 1000;

/** Mainland China mobile numbers: 11 digits starting 13-19. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

interface PhoneGrant {
  appid: string;
  phoneNumber: string;
  issuedAt: number;
  used: boolean;
}

export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
  watermark: { timestamp: number; appid: string };
}

export class PhoneCodes {
  private readonly grants = new Map<string, PhoneGrant>();

  constructor(private readonly clock: SandboxClock) {}

  issue(appid: string, phoneNumber: string): string {
    const code = randomHex(32);
    this.grants.set(code, { appid, phoneNumber, issuedAt: this.clock.now(), used: false });
    return code;
  }

  /** Spends `code` for `appid`; unknown, foreign, used or expired codes all answer 40029. */
  redeem(appid: string, code: string): PhoneInfo {
    const grant = this.grants.get(code);
    if (!grant || grant.appid !== appid || grant.used) throw wechatErrors.invalidCode();
    if (this.clock.now() - grant.issuedAt >= PHONE_CODE_TTL_MS) throw wechatErrors.invalidCode();
    grant.used = true;
    return {
      phoneNumber: grant.phoneNumber,
      purePhoneNumber: grant.phoneNumber,
      countryCode: '86',
      watermark: { timestamp: Math.floor(grant.issuedAt / 1000), appid },
    };
  }

  reset(): void {
    this.grants.clear();
  }
}
