// Posting to a member's ledger. The balance change and the entry land in ONE single-document update (the entry
// goes to the member's ledgerOutbox), so they can never disagree; a flush then copies entries to ledger_entries.
// Debits are conditional ($gte), replays are refused by idempotency key, and nothing is ever read-then-written.

import type { ErrorCode } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { type Member, memberModel } from '../members/model';
import { type LedgerAccount, LedgerAccounts, type LedgerEntry, type LedgerReason, ledgerModel } from './model';

/** How many recent idempotency keys a member remembers; far more than can be in flight at once. */
const RECENT_KEYS = 200;
const DUPLICATE_KEY = 11000;

export interface PostEntryInput {
  memberId: Types.ObjectId;
  account: LedgerAccount;
  amount: number;
  reason: LedgerReason;
  idempotencyKey: string;
  note?: string;
  refs?: Record<string, string>;
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

/** Debits that use points up (oldest first); a reversal instead takes back the very points it names. */
const CONSUMING: LedgerReason[] = ['redemption', 'spend', 'expiry', 'adjustment', 'merge'];

export interface PostResult {
  entry: LedgerEntry;
  replayed: boolean;
}

export class LedgerService {
  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  async post(input: PostEntryInput): Promise<PostResult> {
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
      throw new AppError('VALIDATION_FAILED', 'ledger amount must be a non-zero integer');
    }
    const Ledger = ledgerModel(this.conn);
    const Members = memberModel(this.conn);
    const flushed = await Ledger.findOne({ idempotencyKey: input.idempotencyKey }).lean<LedgerEntry>();
    if (flushed) return { entry: flushed, replayed: true };

    const { entry, field, filter, update } = memberWrite(input, new Date(this.now()));
    const result = await Members.updateOne(filter, update);
    if (result.modifiedCount === 1) {
      await this.flushEntry(entry);
      return { entry, replayed: false };
    }
    return this.explainRefusal(input, field);
  }

  /**
   * Many debits at once (the expiry job): one bulk write of conditional updates, then one flush of every outbox
   * touched. Each debit is the same single-document update post() makes, so balances and entries stay equal;
   * a debit whose condition fails (spent meanwhile, already applied) simply does not happen.
   */
  async postDebitsInBulk(inputs: PostEntryInput[]): Promise<number> {
    if (inputs.length === 0) return 0;
    const now = new Date(this.now());
    const ops = inputs.map((input) => {
      if (input.amount >= 0 || input.allowNegative || input.guard)
        throw new Error('postDebitsInBulk takes plain debits only');
      const { filter, update } = memberWrite(input, now);
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
    if (pending.length > 0) {
      try {
        await ledgerModel(this.conn).collection.insertMany(pending, { ordered: false });
      } catch (err) {
        const writeErrors = (err as { writeErrors?: { code?: number }[] }).writeErrors ?? [];
        if (!writeErrors.every((e) => e.code === DUPLICATE_KEY)) throw err;
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

  /** The common case: copy the entry just posted, then drop it from the outbox (two round trips, no read). */
  private async flushEntry(entry: LedgerEntry): Promise<void> {
    try {
      await ledgerModel(this.conn).collection.insertOne(entry);
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    }
    await memberModel(this.conn).updateOne({ _id: entry.memberId }, { $pull: { ledgerOutbox: { _id: entry._id } } });
  }

  /** Copies all of a member's outbox entries to ledger_entries, then drops them. Safe to repeat or interrupt. */
  async flush(memberId: Types.ObjectId): Promise<void> {
    const Members = memberModel(this.conn);
    const member = await Members.findById(memberId, { ledgerOutbox: 1 }).lean<Pick<Member, 'ledgerOutbox'>>();
    const pending = member?.ledgerOutbox ?? [];
    if (pending.length === 0) return;
    try {
      await ledgerModel(this.conn).insertMany(pending, { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors ?? [];
      const allDuplicates =
        writeErrors.length > 0 && writeErrors.every((e) => (e.code ?? e.err?.code) === DUPLICATE_KEY);
      if (!allDuplicates && (err as { code?: number }).code !== DUPLICATE_KEY) throw err;
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

  private async explainRefusal(input: PostEntryInput, field: string): Promise<PostResult> {
    const member = await memberModel(this.conn).findById(input.memberId).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    if (member.ledgerKeys.includes(input.idempotencyKey)) {
      const pending = member.ledgerOutbox.find((e) => e.idempotencyKey === input.idempotencyKey);
      const entry =
        pending ?? (await ledgerModel(this.conn).findOne({ idempotencyKey: input.idempotencyKey }).lean<LedgerEntry>());
      if (entry) return { entry, replayed: true };
    }
    if (!(input.allowStatuses ?? ['active']).includes(member.status)) {
      throw new AppError(member.status === 'deleted' ? 'MEMBER_DELETED' : 'MEMBER_MERGED');
    }
    const balance = (member as unknown as Record<string, number | undefined>)[field] ?? 0;
    if (input.guard && !(input.amount < 0 && balance < -input.amount)) throw new AppError(input.guard.refusal);
    if (input.amount < 0 && balance < -input.amount) {
      throw new AppError(input.account === 'points' ? 'INSUFFICIENT_POINTS' : 'INSUFFICIENT_BALANCE');
    }
    // The member changed between our update and this read (a concurrent post): the caller may retry.
    throw new AppError('CONFLICT');
  }
}

/**
 * The single-document update that posts one entry: the balance, the expiry counters, the outbox entry and the
 * recent keys change together, and only if the member is in an allowed state, has not seen the key, and (for a
 * debit) can afford it.
 */
function memberWrite(input: PostEntryInput, createdAt: Date) {
  if (!Number.isSafeInteger(input.amount) || input.amount === 0)
    throw new Error('ledger amount must be a non-zero integer');
  const field = LedgerAccounts[input.account];
  const entry: LedgerEntry = {
    _id: new Types.ObjectId(),
    memberId: input.memberId,
    account: input.account,
    amount: input.amount,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    note: input.note ?? '',
    refs: input.refs ?? {},
    createdAt,
  };
  const filter: Record<string, unknown> = {
    _id: input.memberId,
    status: { $in: input.allowStatuses ?? ['active'] },
    ledgerKeys: { $ne: input.idempotencyKey },
    ...input.guard?.filter,
  };
  if (input.amount < 0 && !input.allowNegative) filter[field] = { $gte: -input.amount };
  const inc: Record<string, number> = {
    [field]: input.amount,
    ...(input.account === 'points' && pointsCounters(input)),
    ...input.guard?.inc,
  };
  const update = {
    $inc: inc,
    ...(input.guard?.set && { $set: input.guard.set }),
    $push: { ledgerOutbox: entry, ledgerKeys: { $each: [input.idempotencyKey], $slice: -RECENT_KEYS } },
  };
  return { entry, field, filter, update };
}

/** The expiry counters a points entry moves, in the same update as the balance. */
function pointsCounters(input: PostEntryInput): Record<string, number> {
  if (input.expiresOn && !/^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn))
    throw new Error(`bad expiry day ${input.expiresOn}`);
  if (input.amount > 0) {
    return input.expiresOn ? { [`pointsByExpiry.${input.expiresOn}`]: input.amount } : {};
  }
  if (input.reason === 'refund_reversal' && input.expiresOn)
    return { [`pointsByExpiry.${input.expiresOn}`]: input.amount };
  return CONSUMING.includes(input.reason) ? { pointsConsumed: -input.amount } : {};
}
