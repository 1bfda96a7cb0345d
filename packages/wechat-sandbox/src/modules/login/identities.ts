import { derivedWechatId } from '../../core/ids';

export interface Identity {
  openid: string;
  unionid: string;
}

/**
 * Who a login code belongs to. A browser user id maps to an openid per app and one unionid across apps; an
 * openid picked by a tester keeps the unionid it was first given.
 */
export class Identities {
  private readonly unionidByOpenid = new Map<string, string>();

  forUser(appid: string, user: string): Identity {
    return this.remember(appid, {
      openid: derivedWechatId(`openid|${appid}|${user}`),
      unionid: derivedWechatId(`unionid|${user}`),
    });
  }

  forOpenid(appid: string, openid: string, unionid?: string): Identity {
    const known = this.unionidByOpenid.get(key(appid, openid));
    return this.remember(appid, {
      openid,
      unionid: unionid ?? known ?? derivedWechatId(`unionid-of|${appid}|${openid}`),
    });
  }

  /** Whether `openid` is a user of `appid` (was given a login code for it): only those can be sent messages. */
  knows(appid: string, openid: string): boolean {
    return this.unionidByOpenid.has(key(appid, openid));
  }

  reset(): void {
    this.unionidByOpenid.clear();
  }

  private remember(appid: string, identity: Identity): Identity {
    this.unionidByOpenid.set(key(appid, identity.openid), identity.unionid);
    return identity;
  }
}

function key(appid: string, openid: string): string {
  return `${appid}\n${openid}`;
}
