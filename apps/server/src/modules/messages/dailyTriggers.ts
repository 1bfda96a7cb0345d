// The once-a-day triggers: points expiring in 7 days, coupons expiring in 3, birthdays in 7 (with the birthday
// coupon), tier-drop warnings, and members 30 / 90 days since their last visit (with a win-back coupon). One
// streaming pass over the members (bounded memory, progress reported) plus index-backed reads of coupons and of
// the orders of two past days. Dedupe keys name the occasion (member + day), so a rerun adds nothing.
import { addDays, chinaDay, chinaMidnightMs, DAY_MS } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import { birthdayDays } from '../../jobs/couponJobs';
import type { Logger } from '../../logger';
import { type CouponDoc, type CouponTemplateDoc, couponModels } from '../coupons/model';
import type { CouponService } from '../coupons/service';
import { type Member, memberModel } from '../members/model';
import { orderModel } from '../orders/model';
import { dueBy } from '../points/expiry';
import { rfmModels } from '../rfm/model';
import type { RfmService } from '../rfm/service';
import type { EnqueueInput, MessageService } from './service';

export interface DailyTriggerDeps {
  conn: Connection;
  messages: MessageService;
  coupons: CouponService;
  rfm: RfmService;
  logger: Logger;
  now: () => number;
  tierNames: string[];
}

export interface DailyTriggerRun {
  members: number;
  /** Messages the triggers asked for, by kind (new or already in the outbox). */
  found: Partial<Record<EnqueueInput['kind'], number>>;
  queued: number;
  duplicates: number;
}

const BATCH = 1_000;
const WIN_BACK = [
  { days: 30, templateKey: 'win-back-30' },
  { days: 90, templateKey: 'win-back-90' },
] as const;

type ScannedMember = Pick<
  Member,
  '_id' | 'nickname' | 'points' | 'pointsByExpiry' | 'pointsConsumed' | 'birthday' | 'tier' | 'tierWarnedFor'
>;

const chinaDate = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));

export async function runDailyTriggers(
  deps: DailyTriggerDeps,
  onProgress: (phase: string, done: number) => void = () => {},
): Promise<DailyTriggerRun> {
  const now = deps.now();
  const today = chinaDay(now);
  const run: DailyTriggerRun = { members: 0, found: {}, queued: 0, duplicates: 0 };
  let pending: EnqueueInput[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const result = await deps.messages.enqueue(batch);
    run.queued += result.queued;
    run.duplicates += result.duplicates;
  };
  const push = async (m: EnqueueInput) => {
    run.found[m.kind] = (run.found[m.kind] ?? 0) + 1;
    pending.push(m);
    if (pending.length >= BATCH) await flush();
  };

  // ---- one pass over the members ----
  const expiringDay = addDays(today, 7);
  const birthdayDay = addDays(today, 7);
  const birthdayMmdds = new Set(birthdayDays(today, 7));
  // Only what the message needs: a few percent of a million members are kept until the pass ends.
  const birthdays: Pick<ScannedMember, '_id' | 'nickname'>[] = [];
  // The driver's cursor, not mongoose's: a million lean documents through mongoose cost several times more.
  const cursor = memberModel(deps.conn).collection.find<ScannedMember>(
    { status: 'active' },
    {
      projection: {
        nickname: 1,
        points: 1,
        pointsByExpiry: 1,
        pointsConsumed: 1,
        birthday: 1,
        tier: 1,
        tierWarnedFor: 1,
      },
      batchSize: BATCH,
    },
  );
  for await (const m of cursor) {
    run.members++;
    if (run.members % 50_000 === 0) onProgress('members', run.members);
    const buckets = m.pointsByExpiry ?? {};
    if (buckets[expiringDay]) {
      const points =
        dueBy(buckets, m.pointsConsumed, expiringDay) - dueBy(buckets, m.pointsConsumed, addDays(expiringDay, -1));
      if (points > 0)
        await push({
          memberId: m._id,
          kind: 'points_expiring',
          input: { points, expiresOn: chinaDate(expiringDay), balance: m.points },
          dedupeKey: `points_expiring:${m._id.toHexString()}:${expiringDay}`,
        });
    }
    if (m.birthday && birthdayMmdds.has(m.birthday.slice(5))) birthdays.push({ _id: m._id, nickname: m.nickname });
    if (m.tierWarnedFor) {
      const rank = deps.tierNames.indexOf(m.tier);
      const next = deps.tierNames[rank - 1];
      if (next)
        await push({
          memberId: m._id,
          kind: 'tier_down_warning',
          input: {
            current: m.tier,
            next,
            reviewOn: chinaDate(m.tierWarnedFor),
            hint: `${m.tierWarnedFor.slice(5).replace('-', '月')}日前消费即可保级`,
          },
          dedupeKey: `tier_down_warning:${m._id.toHexString()}:${m.tierWarnedFor}`,
        });
    }
  }
  onProgress('members', run.members);

  // ---- birthdays, with the coupon the birthday job gave ----
  // The birthday job issued today's gifts this morning: a small set, read once and matched in memory (a member-id
  // list per batch would make the engine test every coupon against every id).
  onProgress('birthdays', birthdays.length);
  const { Coupons, Templates } = couponModels(deps.conn);
  const giftOf = new Map<string, Pick<CouponDoc, 'title' | 'validUntil'>>();
  if (birthdays.length) {
    const gifts = Coupons.find(
      { source: 'birthday', receivedAt: { $gte: new Date(now - 2 * DAY_MS) } },
      { memberId: 1, title: 1, validUntil: 1 },
    )
      .lean<Pick<CouponDoc, 'memberId' | 'title' | 'validUntil'>[]>()
      .cursor({ batchSize: BATCH });
    for await (const g of gifts) giftOf.set(g.memberId.toHexString(), g);
  }
  for (const m of birthdays) {
    const gift = giftOf.get(m._id.toHexString());
    await push({
      memberId: m._id,
      kind: 'birthday',
      input: {
        name: m.nickname ?? '会员',
        gift: gift ? gift.title : '生日专属礼遇',
        validUntil: gift?.validUntil ?? chinaDate(addDays(birthdayDay, 30)),
      },
      dedupeKey: `birthday:${m._id.toHexString()}:${birthdayDay.slice(0, 4)}`,
    });
  }

  // ---- coupons whose last day is 3 days from now ----
  const couponDay = addDays(today, 3);
  const dayStart = chinaDate(couponDay);
  const expiring = Coupons.collection.find<Pick<CouponDoc, '_id' | 'memberId' | 'title' | 'validUntil' | 'code'>>(
    { status: 'available', validUntil: { $gte: dayStart, $lt: new Date(dayStart.getTime() + DAY_MS) } },
    { projection: { memberId: 1, title: 1, validUntil: 1, code: 1 }, batchSize: BATCH },
  );
  for await (const c of expiring)
    await push({
      memberId: c.memberId,
      kind: 'coupon_expiring',
      input: { title: c.title, validUntil: c.validUntil, code: c.code },
      dedupeKey: `coupon_expiring:${c._id.toHexString()}`,
    });

  onProgress('coupons', run.found.coupon_expiring ?? 0);
  // ---- win-back: last visit exactly 30 / 90 days ago ----
  for (const { days, templateKey } of WIN_BACK) {
    const template = await Templates.findOne({ systemKey: templateKey }).lean<CouponTemplateDoc>();
    if (!template?.active) continue; // the owner turned this one off
    for (const memberId of await lastVisitedOn(deps, chinaMidnightMs(now) - days * DAY_MS)) {
      const key = `win_back:${memberId.toHexString()}:${days}:${today}`;
      const { coupon } = await deps.coupons.issue(
        { templateId: template._id, memberId, source: 'win_back', key, enforceSupply: false },
        template,
      );
      await push({
        memberId,
        kind: 'win_back',
        input: {
          title: coupon.title,
          faceFen: template.effect.kind === 'cash_off' ? template.effect.valueFen : 0,
          validUntil: coupon.validUntil,
          code: coupon.code,
          usage: template.description || '到店消费可用',
        },
        dedupeKey: key,
      });
    }
  }
  await flush();
  return run;
}

/**
 * Members whose last paid order fell on the China day starting at `dayStartMs`, and none since. Candidates come from
 * the newest RFM run (last visit per member, computed at 02:30); an order placed after that run is caught by the
 * index-backed check against the orders.
 */
async function lastVisitedOn(deps: DailyTriggerDeps, dayStartMs: number): Promise<Types.ObjectId[]> {
  const run = await deps.rfm.latestRun();
  if (!run) return [];
  const rows = await rfmModels(deps.conn)
    .MemberRfm.find(
      { runId: run._id, lastOrderAt: { $gte: new Date(dayStartMs), $lt: new Date(dayStartMs + DAY_MS) } },
      { memberId: 1 },
    )
    .lean<{ memberId: Types.ObjectId }[]>();
  const result: Types.ObjectId[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const group = rows.slice(i, i + BATCH).map((r) => r.memberId);
    const later = await orderModel(deps.conn)
      .find(
        { memberId: { $in: group }, createdAt: { $gte: new Date(dayStartMs + DAY_MS) }, status: { $ne: 'pending' } },
        { memberId: 1 },
      )
      .lean<{ memberId: Types.ObjectId }[]>();
    const came = new Set(later.map((o) => o.memberId.toHexString()));
    result.push(...group.filter((id) => !came.has(id.toHexString())));
  }
  return result;
}
