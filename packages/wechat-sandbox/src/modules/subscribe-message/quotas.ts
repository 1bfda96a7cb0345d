/** How many more messages of a template a user may be sent, as the control API shows it. */
export interface SubscribeQuota {
  appid: string;
  openid: string;
  template_id: string;
  remaining: number;
}

/**
 * One-time subscriptions: each time a user accepts a template in wx.requestSubscribeMessage, the app may send
 * them one message of it; acceptances add up, and each message sent spends one.
 */
export class SubscribeQuotas {
  private readonly quotas = new Map<string, SubscribeQuota>();

  grant(appid: string, openid: string, templateId: string, count = 1): SubscribeQuota {
    const quota = this.entry(appid, openid, templateId);
    quota.remaining += count;
    return { ...quota };
  }

  /** Spends one message of the user's quota; false when none is left. */
  take(appid: string, openid: string, templateId: string): boolean {
    const quota = this.quotas.get(key(appid, openid, templateId));
    if (!quota || quota.remaining <= 0) return false;
    quota.remaining -= 1;
    return true;
  }

  /** Every (user, template) ever granted, spent ones included (remaining 0), in the order first granted. */
  list(filter: { appid?: string; openid?: string; template_id?: string } = {}): SubscribeQuota[] {
    return [...this.quotas.values()]
      .filter(
        (quota) =>
          (filter.appid === undefined || quota.appid === filter.appid) &&
          (filter.openid === undefined || quota.openid === filter.openid) &&
          (filter.template_id === undefined || quota.template_id === filter.template_id),
      )
      .map((quota) => ({ ...quota }));
  }

  /** Forgets every quota; returns how many (user, template) pairs there were. */
  reset(): number {
    const count = this.quotas.size;
    this.quotas.clear();
    return count;
  }

  private entry(appid: string, openid: string, templateId: string): SubscribeQuota {
    const id = key(appid, openid, templateId);
    let quota = this.quotas.get(id);
    if (!quota) {
      quota = { appid, openid, template_id: templateId, remaining: 0 };
      this.quotas.set(id, quota);
    }
    return quota;
  }
}

function key(appid: string, openid: string, templateId: string): string {
  return `${appid}\n${openid}\n${templateId}`;
}
