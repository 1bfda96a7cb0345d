import { type Connection, type Model, Schema, type Types } from 'mongoose';

/**
 * The value accounts a member holds, each a field on the member that caches its ledger's sum. Stored value is two
 * accounts: the principal the member paid and the bonus a top-up package gave, spent in proportion.
 */
export const LedgerAccounts = {
  points: 'points',
  growth: 'growth',
  walletPrincipal: 'walletPrincipalFen',
  walletBonus: 'walletBonusFen',
} as const;
export type LedgerAccount = keyof typeof LedgerAccounts;

export type LedgerReason =
  | 'order'
  | 'task'
  | 'redemption'
  | 'expiry'
  | 'refund_reversal'
  | 'adjustment'
  | 'merge'
  | 'import'
  | 'top_up'
  | 'top_up_refund'
  | 'spend'
  | 'spend_refund';

export interface LedgerEntry {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  account: LedgerAccount;
  /** Integer points or fen; negative for debits. */
  amount: number;
  reason: LedgerReason;
  /** Unique: a replayed request finds the first entry instead of writing a second one. */
  idempotencyKey: string;
  /** Human explanation shown to the member, e.g. "消费 ¥128.00，金卡 1.5 倍，+192". */
  note: string;
  refs: Record<string, string>;
  createdAt: Date;
}

const LedgerEntrySchema = new Schema<LedgerEntry>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    account: { type: String, enum: Object.keys(LedgerAccounts), required: true },
    amount: { type: Number, required: true, validate: Number.isSafeInteger },
    reason: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    note: { type: String, default: '' },
    refs: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
LedgerEntrySchema.index({ idempotencyKey: 1 }, { unique: true });
LedgerEntrySchema.index({ memberId: 1, account: 1, createdAt: -1 });

export function ledgerModel(conn: Connection): Model<LedgerEntry> {
  return (
    (conn.models.LedgerEntry as Model<LedgerEntry> | undefined) ??
    conn.model<LedgerEntry>('LedgerEntry', LedgerEntrySchema, 'ledger_entries')
  );
}
