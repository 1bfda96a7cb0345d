// Posting to a member's ledger. The balance change and the entry land in ONE single-document update (the entry
// goes to the member's ledgerOutbox), so they can never disagree; a flush then copies entries to ledger_entries.
// Debits are conditional ($gte), replays are refused by idempotency key, and nothing is ever read-then-written.

import type { ErrorCode } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { onlyDuplicates } from '../../lib/duplicateKey';
import { GroupCommit } from '../../lib/groupCommit';
import { type Member, memberModel } from '../members/model';
import { type LedgerAccount, LedgerAccounts, type LedgerEntry, type LedgerReason, ledgerModel } from './model';

/** How many recent idempotency keys a member remembers; far more than can be in flight at once. */
const RECENT_KEYS = 200;

export interface PostEntryInput {
  memberId: Types.ObjectId;
  account: LedgerAccount;
  amount: number;
  reason: LedgerReason;
  idempotencyKey: string;
  note?: string;
  refs?: Record<string, string>;
  /**
   * More entries on other accounts, posted in the SAME single-document update under the same guard (a purchase's
   * points and growth; a wallet spend's principal and bonus): all of them happen, or none.
   */
  legs?: LegInput[];
  /**
   * The caller's own unique row (a just-created order) proves this key was never used, so the read that looks for
   * an already-flushed entry is skipped. A resumed or replayed request must not set it.
   */
  freshKey?: boolean;
  /** Merges move value out of a member that is no longer active. */
  allowStatuses?: Member['status'][];
  /** Points credits: the day they expire. Refund reversals name the day of the points they take back. */
  expiresOn?: string;
  /** Refund reversals may leave a negative balance (which then blocks spending); nothing else may. */
  allowNegative?: boolean;
  /**
   * Extra conditions and changes on the member, applied in the same single-document update (task counters,
   * check-in streaks): if the filter does not hold, nothing at all happens and `refusal` is thrown.
   */
  guard?: {
    filter: Record<string, unknown>;
    inc?: Record<string, number>;
    set?: Record<string, unknown>;
    refusal: ErrorCode;
  };
}

/** One more entry of a multi-account post; its key must be unique like any entry's. */
export interface LegInput {
  account: LedgerAccount;
  amount: number;
  idempotencyKey: string;
  note?: string;
  expiresOn?: string;
}

/** Told of the entries each post wrote (metrics count them); replays and refused posts write none. */
export type PostedEntriesObserver = (entries: readonly LedgerEntry[]) => void;

/** The member's balances right after the post (or, for a replay, as they are now). */
export type Balances = Pick<Member, 'points' | 'growth' | 'walletPrincipalFen' | 'walletBonusFen' | 'tier'>;
const BALANCES = { points: 1, growth: 1, walletPrincipalFen: 1, walletBonusFen: 1, tier: 1 } as const;

/** Debits that use points up (oldest first); a reversal instead takes back the very points it names. */
const CONSUMING: LedgerReason[] = ['redemption', 'spend', 'expiry', 'adjustment', 'merge'];

export interface PostResult {
  entry: LedgerEntry;
  /** The legs' entries, in the order given (empty for a single-entry post or a replay found already flushed). */
  legs: LedgerEntry[];
  balances: Balances;
  replayed: boolean;
}

export class LedgerService {
  /** Concurrent posts copy their entries out together: one insert and one bulk $pull per batch. */
  private readonly flusher = new GroupCommit<LedgerEntry[]>((batch) => this.flushBatch(batch));

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
    private readonly onPosted: PostedEntriesObserver = () => {},
  ) {}

  async post(input: PostEntryInput): Promise<PostResult> {
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
      throw new AppError('VALIDATION_FAILED', 'ledger amount must be a non-zero integer');
    }
    const Members = memberModel(this.conn);
    if (!input.freshKey) {
      const flushed = await ledgerModel(this.conn)
        .findOne({ idempotencyKey: input.idempotencyKey })
        .lean<LedgerEntry>();
      if (flushed) return this.replayOf(input, flushed);
    }
    const { entries, fields, filter, update } = memberWrite(input, new Date(this.now()));
    const after = (await Members.collection.findOneAndUpdate(filter, update as never, {
      projection: BALANCES,
      returnDocument: 'after',
    })) as Balances | null;
    if (after) {
      this.onPosted(entries);
      await this.flushEntries(entries);
      const [entry, ...legs] = entries as [LedgerEntry, ...LedgerEntry[]];
      return { entry, legs, balances: after, replayed: false };
    }
    return this.explainRefusal(input, fields);
  }

  /**
   * Many debits at once (the expiry job): one bulk write of conditional updates, then one flush of every outbox
   * touched. Each debit is the same single-document update post() makes, so balances and entries stay equal;
   * a debit whose condition fails (spent meanwhile, already applied) simply does not happen.
   */
  async postDebitsInBulk(inputs: PostEntryInput[]): Promise<number> {
    if (inputs.length === 0) return 0;
    const now = new Date(this.now());
    const written = new Set<string>();
    const ops = inputs.map((input) => {
      if (input.amount >= 0 || input.allowNegative || input.guard)
        throw new Error('postDebitsInBulk takes plain debits only');
      if (input.legs?.length) throw new Error('postDebitsInBulk takes single-entry debits only');
      const { entries, filter, update } = memberWrite(input, now);
      for (const e of entries) written.add(String(e._id));
      return { updateOne: { filter, update } };
    });
    const Members = memberModel(this.conn);
    const result = await Members.collection.bulkWrite(ops as never, { ordered: false });
    // By _id alone, so any engine answers from the _id index; empty outboxes are dropped here.
    const touched = (
      await Members.find({ _id: { $in: inputs.map((i) => i.memberId) } }, { ledgerOutbox: 1 }).lean<
        Pick<Member, '_id' | 'ledgerOutbox'>[]
      >()
    ).filter((m) => m.ledgerOutbox.length > 0);
    const pending = touched.flatMap((m) => m.ledgerOutbox);
    // The debits whose condition held are the ones now in an outbox (others' pending entries may sit beside them).
    this.onPosted(pending.filter((e) => written.has(String(e._id))));
    if (pending.length > 0) {
      try {
        await ledgerModel(this.conn).collection.insertMany(pending, { ordered: false });
      } catch (err) {
        // Anything but "already copied" must stop here: dropping the outboxes below would lose the entries.
        if (!onlyDuplicates(err)) throw err;
      }
      await Members.collection.bulkWrite(
        touched.map((m) => ({
          updateOne: {
            filter: { _id: m._id },
            update: { $pull: { ledgerOutbox: { _id: { $in: m.ledgerOutbox.map((e) => e._id) } } } },
          },
        })) as never,
        { ordered: false },
      );
    }
    return result.modifiedCount;
  }

  /** The common case: copy the entries just posted, then drop them from the outbox (no read). */
  private flushEntries(entries: LedgerEntry[]): Promise<void> {
    return this.flusher.submit(entries);
  }

  private async flushBatch(batch: LedgerEntry[][]): Promise<undefined> {
    const entries = batch.flat();
    try {
      await ledgerModel(this.conn).collection.insertMany(entries, { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
    const byMember = new Map<string, { memberId: Types.ObjectId; ids: Types.ObjectId[] }>();
    for (const e of entries) {
      const key = e.memberId.toHexString();
      const group = byMember.get(key) ?? { memberId: e.memberId, ids: [] };
      group.ids.push(e._id);
      byMember.set(key, group);
    }
    await memberModel(this.conn).collection.bulkWrite(
      [...byMember.values()].map((g) => ({
        updateOne: { filter: { _id: g.memberId }, update: { $pull: { ledgerOutbox: { _id: { $in: g.ids } } } } },
      })) as never,
      { ordered: false },
    );
    return undefined;
  }

  /** Copies all of a member's outbox entries to ledger_entries, then drops them. Safe to repeat or interrupt. */
  async flush(memberId: Types.ObjectId): Promise<void> {
    const Members = memberModel(this.conn);
    const member = await Members.findById(memberId, { ledgerOutbox: 1 }).lean<Pick<Member, 'ledgerOutbox'>>();
    const pending = member?.ledgerOutbox ?? [];
    if (pending.length === 0) return;
    try {
      await ledgerModel(this.conn).collection.insertMany(pending, { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
    await Members.updateOne(
      { _id: memberId },
      { $pull: { ledgerOutbox: { _id: { $in: pending.map((e) => e._id) } } } },
    );
  }

  /** balance == sum(entries) for each account, counting an entry once whether flushed, pending, or both. */
  async verify(memberId: Types.ObjectId): Promise<Record<LedgerAccount, { cached: number; sum: number }>> {
    const member = await memberModel(this.conn).findById(memberId).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND');
    const entries = new Map<string, LedgerEntry>();
    for (const e of await ledgerModel(this.conn).find({ memberId }).lean<LedgerEntry[]>())
      entries.set(String(e._id), e);
    for (const e of member.ledgerOutbox) entries.set(String(e._id), e);
    const out = {} as Record<LedgerAccount, { cached: number; sum: number }>;
    for (const account of Object.keys(LedgerAccounts) as LedgerAccount[]) {
      let sum = 0;
      for (const e of entries.values()) if (e.account === account) sum += e.amount;
      out[account] = { cached: member[LedgerAccounts[account]], sum };
    }
    return out;
  }

  /** Whether an entry with this key was written (post() flushes before it returns). */
  async hasKey(idempotencyKey: string): Promise<boolean> {
    return (await ledgerModel(this.conn).exists({ idempotencyKey })) !== null;
  }

  entriesOf(memberId: Types.ObjectId): Promise<LedgerEntry[]> {
    return ledgerModel(this.conn).find({ memberId }).sort({ createdAt: 1 }).lean<LedgerEntry[]>();
  }

  /** A replay: the first post's entries, and the balances as they are now. */
  private async replayOf(input: PostEntryInput, entry: LedgerEntry): Promise<PostResult> {
    const balances = await memberModel(this.conn).findById(input.memberId, BALANCES).lean<Balances>();
    if (!balances) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    return { entry, legs: [], balances, replayed: true };
  }

  private async explainRefusal(input: PostEntryInput, fields: string[]): Promise<PostResult> {
    const member = await memberModel(this.conn).findById(input.memberId).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    if (member.ledgerKeys.includes(input.idempotencyKey)) {
      const pending = member.ledgerOutbox.find((e) => e.idempotencyKey === input.idempotencyKey);
      const entry =
        pending ?? (await ledgerModel(this.conn).findOne({ idempotencyKey: input.idempotencyKey }).lean<LedgerEntry>());
      if (entry) return { entry, legs: [], balances: member, replayed: true };
    }
    if (!(input.allowStatuses ?? ['active']).includes(member.status)) {
      throw new AppError(member.status === 'deleted' ? 'MEMBER_DELETED' : 'MEMBER_MERGED');
    }
    const balances = member as unknown as Record<string, number | undefined>;
    const short = legsOf(input).find((leg, i) => leg.amount < 0 && (balances[fields[i] as string] ?? 0) < -leg.amount);
    if (input.guard && !short) throw new AppError(input.guard.refusal);
    if (short) throw new AppError(short.account === 'points' ? 'INSUFFICIENT_POINTS' : 'INSUFFICIENT_BALANCE');
    // The member changed between our update and this read (a concurrent post): the caller may retry.
    throw new AppError('CONFLICT');
  }
}

/** The main entry and its legs, as one list. */
function legsOf(input: PostEntryInput): LegInput[] {
  return [
    {
      account: input.account,
      amount: input.amount,
      idempotencyKey: input.idempotencyKey,
      note: input.note,
      expiresOn: input.expiresOn,
    },
    ...(input.legs ?? []),
  ];
}

/**
 * The single-document update that posts one entry: the balance, the expiry counters, the outbox entry and the
 * recent keys change together, and only if the member is in an allowed state, has not seen the key, and (for a
 * debit) can afford it.
 */
function memberWrite(input: PostEntryInput, createdAt: Date) {
  const legs = legsOf(input);
  const filter: Record<string, unknown> = {
    _id: input.memberId,
    status: { $in: input.allowStatuses ?? ['active'] },
    ledgerKeys: { $ne: input.idempotencyKey },
    ...input.guard?.filter,
  };
  const inc: Record<string, number> = { ...input.guard?.inc };
  const fields: string[] = [];
  const entries = legs.map((leg): LedgerEntry => {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0)
      throw new Error('ledger amount must be a non-zero integer');
    const field = LedgerAccounts[leg.account];
    if (fields.includes(field)) throw new Error(`one post moves ${leg.account} twice`);
    fields.push(field);
    if (leg.amount < 0 && !input.allowNegative) filter[field] = { $gte: -leg.amount };
    inc[field] = leg.amount;
    if (leg.account === 'points') Object.assign(inc, pointsCounters(input.reason, leg));
    return {
      _id: new Types.ObjectId(),
      memberId: input.memberId,
      account: leg.account,
      amount: leg.amount,
      reason: input.reason,
      idempotencyKey: leg.idempotencyKey,
      note: leg.note ?? '',
      refs: input.refs ?? {},
      createdAt,
    };
  });
  const update = {
    $inc: inc,
    ...(input.guard?.set && { $set: input.guard.set }),
    $push: {
      ledgerOutbox: { $each: entries },
      ledgerKeys: { $each: [input.idempotencyKey], $slice: -RECENT_KEYS },
    },
  };
  return { entries, fields, filter, update };
}

/** The expiry counters a points entry moves, in the same update as the balance. */
function pointsCounters(reason: LedgerReason, leg: LegInput): Record<string, number> {
  if (leg.expiresOn && !/^\d{4}-\d{2}-\d{2}$/.test(leg.expiresOn)) throw new Error(`bad expiry day ${leg.expiresOn}`);
  if (leg.amount > 0) {
    return leg.expiresOn ? { [`pointsByExpiry.${leg.expiresOn}`]: leg.amount } : {};
  }
  if (reason === 'refund_reversal' && leg.expiresOn) return { [`pointsByExpiry.${leg.expiresOn}`]: leg.amount };
  return CONSUMING.includes(reason) ? { pointsConsumed: -leg.amount } : {};
}
