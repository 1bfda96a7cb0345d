// The rules the ledgers keep, checked over a whole database: each balance cached on a member equals the sum of its
// entries (ledger_entries plus the member's not-yet-flushed outbox, an entry counted once), stored value is never
// negative, points and growth go below zero only through a refund reversal, and every entry belongs to a member.
// Restore runs it on what it loaded; fault and load runs call it after the dust settles. It reads members in _id
// order a batch at a time and sums only that batch's entries, so memory stays at one batch whatever the size.
// Exact on a quiet database; on a live one a post landing between a batch's two reads can show as a violation.
import type { mongo } from 'mongoose';
import { type LedgerAccount, LedgerAccounts } from '../modules/ledger/model';

export interface InvariantResult {
  name: string;
  held: boolean;
  /** Members looked at (entries, for the orphan check). */
  checked: number;
  violations: number;
  /** The first few violations, enough to start looking. */
  examples: unknown[];
}

export interface InvariantOptions {
  /** Members per batch (one $in aggregation of their entries each). */
  batchSize?: number;
  maxExamples?: number;
}

// The collections of modules/members/model.ts and modules/ledger/model.ts.
const MEMBERS = 'members';
const ENTRIES = 'ledger_entries';
const ACCOUNTS = Object.keys(LedgerAccounts) as LedgerAccount[];

interface MemberRow {
  _id: mongo.ObjectId;
  memberNo?: string;
  ledgerOutbox?: Array<{ _id: mongo.ObjectId; account: LedgerAccount; amount: number; reason: string }>;
  [field: string]: unknown;
}

interface Totals {
  sums: Record<LedgerAccount, number>;
  reversals: Record<LedgerAccount, number>;
}

class Check {
  checked = 0;
  violations = 0;
  readonly examples: unknown[] = [];
  constructor(
    readonly name: string,
    private readonly maxExamples: number,
  ) {}
  fail(example: unknown): void {
    this.violations++;
    if (this.examples.length < this.maxExamples) this.examples.push(example);
  }
  result(): InvariantResult {
    const { name, checked, violations, examples } = this;
    return { name, held: violations === 0, checked, violations, examples };
  }
}

const zeroes = () => Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Record<LedgerAccount, number>;

export async function checkLedgerInvariants(db: mongo.Db, options: InvariantOptions = {}): Promise<InvariantResult[]> {
  const batchSize = options.batchSize ?? 1000;
  const maxExamples = options.maxExamples ?? 5;
  const balance = Object.fromEntries(
    ACCOUNTS.map((a) => [a, new Check(`members.${LedgerAccounts[a]} = Σ ${a} entries`, maxExamples)]),
  ) as Record<LedgerAccount, Check>;
  const walletNotNegative = new Check('stored value (principal and bonus) is never negative', maxExamples);
  const negativeOnlyByReversal = new Check(
    'points and growth go below zero only through a refund reversal',
    maxExamples,
  );
  const owned = new Check('every ledger entry belongs to a member', maxExamples);
  const entries = db.collection(ENTRIES);
  let entriesOfMembers = 0;

  const checkBatch = async (members: MemberRow[]) => {
    const totals = new Map<string, Totals>();
    const totalsOf = (id: mongo.ObjectId) => {
      const key = id.toHexString();
      const found = totals.get(key);
      if (found) return found;
      const t = { sums: zeroes(), reversals: zeroes() };
      totals.set(key, t);
      return t;
    };
    const grouped = entries.aggregate<{
      _id: { m: mongo.ObjectId; a: LedgerAccount };
      sum: number;
      n: number;
      reversals: number;
    }>([
      { $match: { memberId: { $in: members.map((m) => m._id) } } },
      {
        $group: {
          _id: { m: '$memberId', a: '$account' },
          sum: { $sum: '$amount' },
          n: { $sum: 1 },
          reversals: { $sum: { $cond: [{ $eq: ['$reason', 'refund_reversal'] }, 1, 0] } },
        },
      },
    ]);
    for await (const row of grouped) {
      const t = totalsOf(row._id.m);
      t.sums[row._id.a] = (t.sums[row._id.a] ?? 0) + row.sum;
      t.reversals[row._id.a] = (t.reversals[row._id.a] ?? 0) + row.reversals;
      entriesOfMembers += row.n;
    }
    // Outbox entries not yet copied to ledger_entries count too; one already copied is not counted twice.
    const pending = members.flatMap((m) => m.ledgerOutbox ?? []);
    if (pending.length > 0) {
      const copied = new Set(
        (await entries.find({ _id: { $in: pending.map((e) => e._id) } }, { projection: { _id: 1 } }).toArray()).map(
          (e) => String(e._id),
        ),
      );
      for (const m of members) {
        for (const e of m.ledgerOutbox ?? []) {
          if (copied.has(String(e._id))) continue;
          const t = totalsOf(m._id);
          t.sums[e.account] += e.amount;
          if (e.reason === 'refund_reversal') t.reversals[e.account]++;
        }
      }
    }
    for (const m of members) {
      const t = totals.get(m._id.toHexString()) ?? { sums: zeroes(), reversals: zeroes() };
      const cached = (account: LedgerAccount) => Number(m[LedgerAccounts[account]] ?? 0);
      for (const account of ACCOUNTS) {
        const check = balance[account];
        check.checked++;
        if (cached(account) !== t.sums[account]) {
          check.fail({
            memberId: m._id.toHexString(),
            memberNo: m.memberNo,
            cached: cached(account),
            sum: t.sums[account],
          });
        }
      }
      walletNotNegative.checked++;
      if (cached('walletPrincipal') < 0 || cached('walletBonus') < 0) {
        walletNotNegative.fail({
          memberId: m._id.toHexString(),
          memberNo: m.memberNo,
          walletPrincipalFen: cached('walletPrincipal'),
          walletBonusFen: cached('walletBonus'),
        });
      }
      negativeOnlyByReversal.checked++;
      for (const account of ['points', 'growth'] as const) {
        if (cached(account) < 0 && t.reversals[account] === 0) {
          negativeOnlyByReversal.fail({
            memberId: m._id.toHexString(),
            memberNo: m.memberNo,
            account,
            balance: cached(account),
          });
        }
      }
    }
  };

  const projection: Record<string, 1> = { memberNo: 1, ledgerOutbox: 1 };
  for (const field of Object.values(LedgerAccounts)) projection[field] = 1;
  let batch: MemberRow[] = [];
  for await (const doc of db.collection(MEMBERS).find({}, { projection, sort: { _id: 1 }, batchSize })) {
    batch.push(doc as unknown as MemberRow);
    if (batch.length >= batchSize) {
      await checkBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await checkBatch(batch);

  // Entries of members that exist were counted batch by batch; the rest belong to nobody.
  owned.checked = await entries.countDocuments({});
  const orphans = owned.checked - entriesOfMembers;
  if (orphans > 0) {
    const examples = await entries
      .aggregate([
        { $lookup: { from: MEMBERS, localField: 'memberId', foreignField: '_id', as: 'member' } },
        { $match: { member: { $size: 0 } } },
        { $limit: maxExamples },
        { $project: { _id: 1, memberId: 1, account: 1, amount: 1, idempotencyKey: 1 } },
      ])
      .toArray();
    owned.violations = orphans;
    owned.examples.push(...examples.map((e) => ({ ...e, _id: String(e._id), memberId: String(e.memberId) })));
  }

  return [
    ...ACCOUNTS.map((a) => balance[a].result()),
    walletNotNegative.result(),
    negativeOnlyByReversal.result(),
    owned.result(),
  ];
}
