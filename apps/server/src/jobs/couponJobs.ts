// Coupon jobs: expire lapsed coupons, release (or finish) referral rewards, resume pushes, and the gifts the tier
// rules promise: a birthday coupon 7 days before the birthday, a monthly coupon on the first of the month.
// Each gift's key names the member and the occasion, so a job run twice, or on two server copies, gives it once.
import { Types } from 'mongoose';
import type { AppDeps } from '../deps';
import { type Member, memberModel } from '../modules/members/model';
import { chinaDate } from '../modules/points/expiry';
import { withLease } from './lease';

const LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const BIRTHDAY_LEAD_DAYS = 7;
const BATCH = 500;

type Deps = Pick<AppDeps, 'conn' | 'coupons' | 'couponSettings' | 'referrals' | 'campaigns' | 'now' | 'logger'>;

export async function expireCoupons(deps: Deps): Promise<{ expired: number }> {
  return { expired: await deps.coupons.expireDue() };
}

export async function releaseReferralRewards(deps: Deps) {
  const run = await withLease(deps.conn, 'releaseReferralRewards', LEASE_MS, deps.now, () =>
    deps.referrals.releaseDue(),
  );
  return run.ran ? run.result : { skipped: true };
}

export async function resumeCouponIssues(deps: Deps): Promise<{ campaigns: number }> {
  return { campaigns: await deps.campaigns.resumeAll() };
}

/** The MM-DD days whose birthdays are `lead` days after `today`; Feb 29 birthdays count on Feb 28 in other years. */
export function birthdayDays(today: string, lead: number): string[] {
  const target = new Date(Date.parse(`${today}T00:00:00Z`) + lead * DAY_MS);
  const mmdd = target.toISOString().slice(5, 10);
  const year = target.getUTCFullYear();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return mmdd === '02-28' && !leap ? ['02-28', '02-29'] : [mmdd];
}

export async function giftCoupons(deps: Deps): Promise<{ birthday: number; monthly: number } | { skipped: true }> {
  const run = await withLease(deps.conn, 'giftCoupons', LEASE_MS, deps.now, async () => {
    const settings = await deps.couponSettings.get();
    const now = new Date(deps.now());
    const today = chinaDate(now);
    let birthday = 0;
    let monthly = 0;
    const issue = async (templateId: string, memberId: Types.ObjectId, source: 'birthday' | 'monthly', key: string) => {
      const { replayed } = await deps.coupons.issue({
        templateId: new Types.ObjectId(templateId),
        memberId,
        source,
        key,
        enforceSupply: false,
      });
      return replayed ? 0 : 1;
    };

    // Birthdays 7 days ahead: the coupon arrives in time to plan the visit.
    const days = birthdayDays(today, BIRTHDAY_LEAD_DAYS);
    const birthdayYear = new Date(Date.parse(`${today}T00:00:00Z`) + BIRTHDAY_LEAD_DAYS * DAY_MS).getUTCFullYear();
    const pattern = new RegExp(`-(${days.join('|')})$`);
    const celebrants = memberModel(deps.conn)
      .find({ status: 'active', birthday: { $regex: pattern } }, { tier: 1 })
      .lean<Pick<Member, '_id' | 'tier'>[]>()
      .cursor();
    for await (const m of celebrants) {
      const gift = settings.tierGifts.find((g) => g.tier === m.tier)?.birthdayTemplateId;
      if (!gift) continue;
      birthday += await issue(gift, m._id, 'birthday', `birthday:${birthdayYear}:${m._id.toHexString()}`);
    }

    // Monthly tier gifts, once per member and month; run daily so a missed first of the month is caught up.
    const month = today.slice(0, 7);
    for (const gift of settings.tierGifts) {
      if (!gift.monthlyTemplateId) continue;
      const markerId = `monthly:${month}:${gift.tier}`;
      const markers = deps.conn.db?.collection<{ _id: string; at: Date }>('job_markers');
      if (!markers) throw new Error('not connected');
      if (await markers.findOne({ _id: markerId })) continue;
      let after: Types.ObjectId | null = null;
      for (;;) {
        const batch: Pick<Member, '_id'>[] = await memberModel(deps.conn)
          .find({ status: 'active', tier: gift.tier, ...(after && { _id: { $gt: after } }) }, { _id: 1 })
          .sort({ _id: 1 })
          .limit(BATCH)
          .lean<Pick<Member, '_id'>[]>();
        if (batch.length === 0) break;
        for (const m of batch)
          monthly += await issue(gift.monthlyTemplateId, m._id, 'monthly', `monthly:${month}:${m._id.toHexString()}`);
        after = batch[batch.length - 1]?._id ?? null;
      }
      await markers.updateOne({ _id: markerId }, { $set: { at: now } }, { upsert: true });
    }
    return { birthday, monthly };
  });
  return run.ran ? run.result : { skipped: true };
}
