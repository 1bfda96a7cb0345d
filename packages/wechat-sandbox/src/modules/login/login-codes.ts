import type { SandboxClock } from '../../core/clock';
import { randomAlphanumeric } from '../../core/ids';
import { wechatErrors } from '../../core/wechat-errors';
import type { Identity } from './identities';

/** A `wx.login` code lives five minutes and works once. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;

interface LoginGrant extends Identity {
  appid: string;
  issuedAt: number;
  used: boolean;
}

export class LoginCodes {
  private readonly grants = new Map<string, LoginGrant>();

  constructor(private readonly clock: SandboxClock) {}

  issue(appid: string, identity: Identity): string {
    const code = randomAlphanumeric(32);
    this.grants.set(code, { appid, ...identity, issuedAt: this.clock.now(), used: false });
    return code;
  }

  /**
   * Spends `code` for `appid`. Unknown, foreign or expired codes are 40029; a code already spent is 40163
   * ("code been used"), which is what api.weixin.qq.com answers on reuse even though the code2Session page only
   * lists 40029.
   */
  redeem(appid: string, code: string): Identity {
    const grant = this.grants.get(code);
    if (!grant || grant.appid !== appid) throw wechatErrors.invalidCode();
    if (grant.used) throw wechatErrors.codeBeenUsed();
    if (this.clock.now() - grant.issuedAt >= LOGIN_CODE_TTL_MS) throw wechatErrors.invalidCode();
    grant.used = true;
    return { openid: grant.openid, unionid: grant.unionid };
  }

  reset(): void {
    this.grants.clear();
  }
}
