// What importing a row does, in two steps the job and the dry run share:
// - plan: against the members as they are now (two reads per batch, no writes), decide for each good row whether a
//   member is created, an existing one is linked (and what of the row it still lacks), or nothing changes;
// - apply: do it, through the identity service (find-or-create, linking an external id) and the ledger service
//   (opening points and stored value). Every write is idempotent, so applying a plan again after a crash, or
//   importing the same rows again from any file, adds nothing twice.
//
// Opening values are keyed by member and account (`import:opening:<memberId>:points|balance`), never by the file:
// a member gets one opening points entry and one opening stored-value entry in their life, whichever file they
// came in. Birthday and name only fill empty fields; the tier only moves up (an import never demotes anyone).
import { formatFen, type LoyaltyRules } from '@member-hub/shared';
import type { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { onlyDuplicates } from '../../lib/duplicateKey';
import { identityKey } from '../identity/keys';
import { ledgerModel } from '../ledger/model';
import { type Member, memberModel } from '../members/model';
import { expiryDay } from '../points/expiry';
import { tierChangeModel, tierRank } from '../tiers/service';
import type { ImportRow } from './rules';

export type ImportDeps = Pick<AppDeps, 'conn' | 'identity' | 'ledger' | 'audit' | 'rules' | 'logger' | 'now'>;

type Existing = Pick<Member, '_id' | 'identityKeys' | 'ledgerKeys' | 'birthday' | 'nickname' | 'tier' | 'status'>;

export type PlanAction = 'create' | 'link' | 'skip';

export interface RowPlan {
  row: ImportRow;
  action: PlanAction;
  member: Existing | null;
  keys: { external: string | null; phone: string | null };
  points: number;
  fen: number;
  linkExternal: boolean;
  setBirthday: boolean;
  setName: boolean;
  /** The tier the member has now, when the row raises it. */
  tierFrom: string | null;
}

export const openingKey = (memberId: Types.ObjectId, account: 'points' | 'balance') =>
  `import:opening:${memberId.toHexString()}:${account}`;

const tierChangeKey = (memberId: Types.ObjectId, tier: string) => `import:tier:${memberId.toHexString()}:${tier}`;

/**
 * Keys per lookup: an engine may check `$in` by scanning its list for every candidate document (mongo-lite does),
 * which grows with the square of the list; a few short lists cost the same round trips in parallel.
 */
const IN_CHUNK = 200;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface PlanContext {
  source: string;
  rules: LoyaltyRules;
  /** Members an earlier row already claimed: a later row naming the same person changes nothing. */
  claimed: Set<string>;
}

export async function planRows(deps: ImportDeps, rows: ImportRow[], ctx: PlanContext): Promise<RowPlan[]> {
  const keyed = rows.map((row) => ({
    row,
    keys: {
      external: row.externalId ? identityKey.external(ctx.source, row.externalId) : null,
      phone: row.phone ? deps.identity.phoneKey(row.phone) : null,
    },
  }));
  const allKeys = keyed.flatMap((k) => [k.keys.external, k.keys.phone].filter((x): x is string => x !== null));
  // The same question identity.findByKeys asks, for a whole batch in a few reads.
  const found = (
    await Promise.all(
      chunks(allKeys, IN_CHUNK).map((keys) =>
        memberModel(deps.conn)
          .find(
            { identityKeys: { $in: keys }, status: { $in: ['active', 'merging'] } },
            { identityKeys: 1, ledgerKeys: 1, birthday: 1, nickname: 1, tier: 1, status: 1 },
          )
          .lean<Existing[]>(),
      ),
    )
  ).flat();
  const byKey = new Map<string, Existing>();
  for (const m of found) for (const key of m.identityKeys) byKey.set(key, m);

  const openingKeys = found.flatMap((m) => [openingKey(m._id, 'points'), openingKey(m._id, 'balance')]);
  const entered = new Set<string>();
  if (openingKeys.length) {
    const flushed = (
      await Promise.all(
        chunks(openingKeys, IN_CHUNK).map((keys) =>
          ledgerModel(deps.conn)
            .find({ idempotencyKey: { $in: keys } }, { idempotencyKey: 1, _id: 0 })
            .lean<{ idempotencyKey: string }[]>(),
        ),
      )
    ).flat();
    for (const e of flushed) entered.add(e.idempotencyKey);
    // Posted but not yet copied out of the member's outbox: the member's recent keys know it.
    for (const m of found) for (const key of m.ledgerKeys) if (key.startsWith('import:opening:')) entered.add(key);
  }

  const baseTier = ctx.rules.tiers[0]?.name ?? '';
  return keyed.map(({ row, keys }): RowPlan => {
    // As identity.resolveExternal decides: the external id first, then the phone.
    const member = (keys.external && byKey.get(keys.external)) || (keys.phone && byKey.get(keys.phone)) || null;
    const nothing = { member, keys, points: 0, fen: 0, linkExternal: false, setBirthday: false, setName: false };
    if (!member) {
      return {
        row,
        action: 'create',
        ...nothing,
        points: row.points,
        fen: row.balanceFen,
        setBirthday: row.birthday !== null,
        tierFrom: row.tier && tierRank(row.tier, ctx.rules) > tierRank(baseTier, ctx.rules) ? baseTier : null,
      };
    }
    const id = member._id.toHexString();
    // Being merged away, or already named by an earlier row: leave it alone.
    if (member.status !== 'active' || ctx.claimed.has(id)) return { row, action: 'skip', ...nothing, tierFrom: null };
    ctx.claimed.add(id);
    const plan: RowPlan = {
      row,
      action: 'link',
      ...nothing,
      points: row.points > 0 && !entered.has(openingKey(member._id, 'points')) ? row.points : 0,
      fen: row.balanceFen > 0 && !entered.has(openingKey(member._id, 'balance')) ? row.balanceFen : 0,
      linkExternal: keys.external !== null && !member.identityKeys.includes(keys.external),
      setBirthday: row.birthday !== null && member.birthday === null,
      setName: row.name !== null && member.nickname === null,
      tierFrom: row.tier && tierRank(row.tier, ctx.rules) > tierRank(member.tier, ctx.rules) ? member.tier : null,
    };
    const changes =
      plan.points > 0 || plan.fen > 0 || plan.linkExternal || plan.setBirthday || plan.setName || plan.tierFrom;
    return changes ? plan : { ...plan, action: 'skip' };
  });
}

/** Runs `work` over `items` with at most `limit` at a time (round trips overlap; the engine does the rest). */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}

const CONCURRENCY = 32;

export async function applyPlans(
  deps: ImportDeps,
  plans: RowPlan[],
  ctx: { importId: Types.ObjectId; source: string; rules: LoyaltyRules },
): Promise<void> {
  const now = new Date(deps.now());
  const expiresOn = expiryDay(now, ctx.rules.expiryMonths);
  const profile: { memberId: Types.ObjectId; plan: RowPlan }[] = [];
  await pool(
    plans.filter((p) => p.action !== 'skip'),
    CONCURRENCY,
    async (plan) => {
      const { row } = plan;
      let memberId: Types.ObjectId;
      let fresh = false;
      if (plan.action === 'create') {
        const { member, isNew } = await deps.identity.createMember({
          keys: [plan.keys.external, plan.keys.phone].filter((k): k is string => k !== null),
          phone: row.phone ?? undefined,
          externalIds: row.externalId ? [{ source: ctx.source, id: row.externalId }] : [],
          nickname: row.name,
        });
        memberId = member._id;
        // Not new: created before a crash (this batch again), or by someone else a moment ago. Either way the
        // ledger must look for an earlier entry, and the external id may still need linking.
        fresh = isNew;
        if (!isNew && plan.keys.external && !member.identityKeys.includes(plan.keys.external))
          await linkExternal(deps, memberId, ctx.source, row);
      } else {
        memberId = (plan.member as Existing)._id;
        if (plan.linkExternal) await linkExternal(deps, memberId, ctx.source, row);
      }
      await postOpening(deps, memberId, plan, { importId: ctx.importId, expiresOn, fresh });
      if (plan.setBirthday || plan.setName || plan.tierFrom) profile.push({ memberId, plan });
    },
  );
  await writeProfiles(deps, profile, now);
}

async function linkExternal(deps: ImportDeps, memberId: Types.ObjectId, source: string, row: ImportRow) {
  try {
    await deps.identity.linkExternal(memberId, source, row.externalId as string);
  } catch (err) {
    // Someone else got this external id between plan and apply: the row still fills this member.
    if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
    deps.logger.warn({ row: row.row, memberId: memberId.toHexString() }, 'import: external id taken meanwhile');
  }
}

async function postOpening(
  deps: ImportDeps,
  memberId: Types.ObjectId,
  plan: RowPlan,
  opts: { importId: Types.ObjectId; expiresOn: string; fresh: boolean },
): Promise<void> {
  const points = plan.points > 0 && {
    account: 'points' as const,
    amount: plan.points,
    idempotencyKey: openingKey(memberId, 'points'),
    note: `导入期初积分 +${plan.points}`,
    // Imported points are treated as earned today: they expire like any points earned now.
    expiresOn: opts.expiresOn,
  };
  // The imported balance was paid in by the member at the old system: principal, refundable like any principal.
  const fen = plan.fen > 0 && {
    account: 'walletPrincipal' as const,
    amount: plan.fen,
    idempotencyKey: openingKey(memberId, 'balance'),
    note: `导入期初储值 ${formatFen(plan.fen)}`,
  };
  const [main, ...legs] = [points, fen].filter((x) => x !== false);
  if (!main) return;
  try {
    // One update for both: they land together or not at all, and a replay of the first key replays both (the job
    // runs one import at a time, so no other post can hold only the second key).
    await deps.ledger.post({
      memberId,
      ...main,
      reason: 'import',
      refs: { importId: opts.importId.toHexString() },
      legs,
      freshKey: opts.fresh,
    });
  } catch (err) {
    // The member was merged or deleted meanwhile: nothing to enter here (the survivor was planned on its own).
    if (!(err instanceof AppError)) throw err;
    deps.logger.warn({ row: plan.row.row, code: err.code }, 'import: opening entry refused');
  }
}

/** Birthday and name where empty, the tier upwards, with its history entry written first (so a crash between
 * them leaves the entry and a resume sets the tier). */
async function writeProfiles(
  deps: ImportDeps,
  items: { memberId: Types.ObjectId; plan: RowPlan }[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  const changes = items
    .filter((i) => i.plan.tierFrom && i.plan.row.tier)
    .map((i) => ({
      memberId: i.memberId,
      from: i.plan.tierFrom as string,
      to: i.plan.row.tier as string,
      reason: 'import' as const,
      note: '导入初始等级',
      dedupeKey: tierChangeKey(i.memberId, i.plan.row.tier as string),
      at: now,
    }));
  if (changes.length) {
    try {
      await tierChangeModel(deps.conn).insertMany(changes, { ordered: false });
    } catch (err) {
      // Written before a crash (this batch again): the first entry stands.
      if (!onlyDuplicates(err)) throw err;
    }
  }
  const ops = items.flatMap(({ memberId, plan }) => {
    const { row } = plan;
    const out: object[] = [];
    if (plan.setBirthday)
      // Locked like a birthday the member set: changing it takes staff (see members' birthday rule).
      out.push({
        updateOne: {
          filter: { _id: memberId, birthday: null },
          update: { $set: { birthday: row.birthday, birthdayLocked: true } },
        },
      });
    if (plan.setName)
      out.push({ updateOne: { filter: { _id: memberId, nickname: null }, update: { $set: { nickname: row.name } } } });
    if (plan.tierFrom)
      out.push({
        updateOne: {
          filter: { _id: memberId, tier: plan.tierFrom },
          update: { $set: { tier: row.tier, tierSince: now, tierWarnedFor: null } },
        },
      });
    return out;
  });
  if (ops.length) await memberModel(deps.conn).collection.bulkWrite(ops as never, { ordered: false });
}
