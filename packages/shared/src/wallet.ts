// Issue 7 contract: stored value (储值) paid with WeChat Pay, spent at the till, refunded, reconciled.
// Every amount is integer fen. Principal is what the member paid; bonus is what a package gave on top; a spend
// takes both in proportion to the balances.
import { z } from 'zod';
import { ChinaDayText } from './analytics';
import { ObjectIdText } from './identity';

const IdempotencyKey = z.string().trim().min(8).max(64);
const Fen = z.number().int();
// A day that exists: 2026-13-45 would reach the server as an Invalid Date.
const DateText = ChinaDayText;

// ---- Top-up packages (owner-defined: 充 500 送 50) ----
export const TopUpPackageInput = z
  .strictObject({
    name: z.string().trim().min(1, '请填写名称').max(20),
    payFen: Fen.min(100, '充值金额至少 ¥1.00').max(5_000_000, '充值金额最多 ¥50,000.00'),
    bonusFen: Fen.min(0).max(5_000_000),
    /** China-time days, inclusive; null = no limit. */
    validFrom: DateText.nullable().default(null),
    validUntil: DateText.nullable().default(null),
    /** How many times one member may buy it; null = unlimited. */
    perMemberLimit: z.number().int().min(1).max(1000).nullable().default(null),
    active: z.boolean().default(true),
    sort: z.number().int().min(0).max(999).default(0),
  })
  .refine((p) => p.bonusFen <= p.payFen, { path: ['bonusFen'], message: '赠送金额不能超过充值金额' })
  .refine((p) => !p.validFrom || !p.validUntil || p.validFrom <= p.validUntil, {
    path: ['validUntil'],
    message: '结束日期不能早于开始日期',
  });
export type TopUpPackageInput = z.infer<typeof TopUpPackageInput>;

export const TopUpPackage = z.object({
  id: z.string(),
  name: z.string(),
  payFen: Fen,
  bonusFen: Fen,
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  perMemberLimit: z.number().int().nullable(),
  active: z.boolean(),
  sort: z.number().int(),
  /** Member view only: how many more times this member may buy it (null = unlimited). */
  remaining: z.number().int().nullable().optional(),
});
export type TopUpPackage = z.infer<typeof TopUpPackage>;

// ---- WeChat Pay in the mini-program ----
/** Exactly what `wx.requestPayment` takes (paySign is RSA over appId, timeStamp, nonceStr, package). */
export const RequestPaymentParams = z.object({
  appId: z.string(),
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});
export type RequestPaymentParams = z.infer<typeof RequestPaymentParams>;

// ---- Top-ups ----
export const TopUpStatus = z.enum(['pending', 'paid', 'closed', 'refunding', 'refunded']);
export type TopUpStatus = z.infer<typeof TopUpStatus>;
export const TopUpStatusLabels: Record<TopUpStatus, string> = {
  pending: '待支付',
  paid: '已到账',
  closed: '已关闭',
  refunding: '退款中',
  refunded: '已退款',
};

export const RefundStatus = z.enum(['processing', 'succeeded', 'failed']);
export type RefundStatus = z.infer<typeof RefundStatus>;
export const RefundStatusLabels: Record<RefundStatus, string> = {
  processing: '退款处理中',
  succeeded: '退款成功',
  failed: '退款失败',
};

export const TopUp = z.object({
  id: z.string(),
  memberId: z.string(),
  packageId: z.string(),
  packageName: z.string(),
  payFen: Fen,
  bonusFen: Fen,
  status: TopUpStatus,
  outTradeNo: z.string(),
  createdAt: z.string(),
  /** After this the WeChat Pay order can no longer be paid. */
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  refund: z
    .object({
      principalFen: Fen,
      bonusForfeitedFen: Fen,
      status: RefundStatus,
      requestedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
});
export type TopUp = z.infer<typeof TopUp>;

/** The member's own top-ups, newest first (充值记录). */
export const TopUpList = z.object({ topUps: z.array(TopUp), nextCursor: z.string().nullable() });
export type TopUpList = z.infer<typeof TopUpList>;

/** Paging of the member's lists (余额明细, 充值记录): the cursor is the last row's id. */
export const WalletPageQuery = z.strictObject({
  cursor: z.string().max(24).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type WalletPageQuery = z.infer<typeof WalletPageQuery>;

export const CreateTopUpRequest = z.strictObject({
  packageId: ObjectIdText,
  /** Client-generated: a retried tap returns the same top-up and the same payment. */
  idempotencyKey: IdempotencyKey,
});
export type CreateTopUpRequest = z.infer<typeof CreateTopUpRequest>;

export const CreateTopUpResult = z.object({
  topUp: TopUp,
  /** null once the top-up is no longer payable (already paid, closed). */
  payment: RequestPaymentParams.nullable(),
});
export type CreateTopUpResult = z.infer<typeof CreateTopUpResult>;

export const TopUpRefundRequest = z.strictObject({
  idempotencyKey: IdempotencyKey,
  reason: z.string().trim().max(80).default(''),
});
export type TopUpRefundRequest = z.infer<typeof TopUpRefundRequest>;

// ---- The member's wallet ----
export const Wallet = z.object({
  balanceFen: Fen,
  principalFen: Fen,
  bonusFen: Fen,
  /** Whether members may ask for unused principal back (the owner's setting). */
  refundEnabled: z.boolean(),
});
export type Wallet = z.infer<typeof Wallet>;

export const WalletEntryKind = z.enum([
  'top_up',
  'spend',
  'spend_refund',
  'top_up_refund',
  'merge',
  'adjustment',
  'import',
]);
export type WalletEntryKind = z.infer<typeof WalletEntryKind>;
export const WalletEntryKindLabels: Record<WalletEntryKind, string> = {
  top_up: '充值',
  spend: '消费',
  spend_refund: '消费退款',
  top_up_refund: '充值退款',
  merge: '账户合并',
  adjustment: '调整',
  import: '导入',
};

/** One wallet event: principal and bonus moved together (negative for money going out). */
export const WalletEntry = z.object({
  id: z.string(),
  kind: WalletEntryKind,
  amountFen: Fen,
  principalFen: Fen,
  bonusFen: Fen,
  note: z.string(),
  at: z.string(),
});
export type WalletEntry = z.infer<typeof WalletEntry>;

export const WalletHistory = z.object({ entries: z.array(WalletEntry), nextCursor: z.string().nullable() });
export type WalletHistory = z.infer<typeof WalletHistory>;

// ---- Paying at the till (储值消费), optionally with points and WeChat Pay for the rest ----
export const ChargeStatus = z.enum([
  'awaiting_member',
  'awaiting_payment',
  'completed',
  'cancelled',
  'expired',
  'partially_refunded',
  'refunded',
]);
export type ChargeStatus = z.infer<typeof ChargeStatus>;
export const ChargeStatusLabels: Record<ChargeStatus, string> = {
  awaiting_member: '等待会员确认',
  awaiting_payment: '等待微信支付',
  completed: '已完成',
  cancelled: '已取消',
  expired: '已过期',
  partially_refunded: '部分退款',
  refunded: '已退款',
};

/**
 * Staff ask for a payment. With `memberId` (the member just scanned) the member confirms in the mini-program;
 * with `payCode` (the member's 60-second payment code) stored value is taken at once.
 */
export const StaffChargeRequest = z
  .strictObject({
    memberId: ObjectIdText.optional(),
    payCode: z
      .string()
      .trim()
      .regex(/^\d{18}$/, '付款码应为 18 位数字')
      .optional(),
    amountFen: Fen.min(1, '金额必须大于 0').max(100_000_000),
    /** Points the member agreed to spend (100 = ¥1 by default, at most half the order). */
    offsetPoints: z.number().int().min(0).default(0),
    idempotencyKey: IdempotencyKey,
  })
  .refine((r) => (r.memberId === undefined) !== (r.payCode === undefined), {
    path: ['memberId'],
    message: '请扫描会员码或付款码（二选一）',
  });
export type StaffChargeRequest = z.infer<typeof StaffChargeRequest>;

export const Charge = z.object({
  id: z.string(),
  memberId: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  amountFen: Fen,
  offsetPoints: z.number().int(),
  offsetFen: Fen,
  /** Taken from stored value, and how it split. */
  walletFen: Fen,
  principalFen: Fen,
  bonusFen: Fen,
  /** Paid with WeChat Pay (the part stored value did not cover). */
  wechatFen: Fen,
  status: ChargeStatus,
  createdAt: z.string(),
  /** The member must confirm (and pay) before this. */
  expiresAt: z.string(),
  completedAt: z.string().nullable(),
  /** The purchase this payment recorded (points and growth earned on it). */
  orderId: z.string().nullable(),
  pointsEarned: z.number().int(),
  refundedFen: Fen,
});
export type Charge = z.infer<typeof Charge>;

export const ConfirmChargeRequest = z.strictObject({ idempotencyKey: IdempotencyKey });
export type ConfirmChargeRequest = z.infer<typeof ConfirmChargeRequest>;

export const ConfirmChargeResult = z.object({
  charge: Charge,
  /** When stored value did not cover it all: pay the rest with WeChat Pay. */
  payment: RequestPaymentParams.nullable(),
});
export type ConfirmChargeResult = z.infer<typeof ConfirmChargeResult>;

export const PendingCharge = z.object({ charge: Charge.nullable() });
export type PendingCharge = z.infer<typeof PendingCharge>;

export const PayCode = z.object({ code: z.string(), expiresAt: z.string() });
export type PayCode = z.infer<typeof PayCode>;

export const ChargeRefundRequest = z.strictObject({
  amountFen: Fen.min(1).max(100_000_000),
  idempotencyKey: IdempotencyKey,
});
export type ChargeRefundRequest = z.infer<typeof ChargeRefundRequest>;

// ---- Owner ----
export const WalletLiability = z.object({
  principalFen: Fen,
  bonusFen: Fen,
  totalFen: Fen,
  /** Members holding any stored value. */
  members: z.number().int(),
});
export type WalletLiability = z.infer<typeof WalletLiability>;

export const PaymentKind = z.enum(['top_up', 'charge']);
export type PaymentKind = z.infer<typeof PaymentKind>;

/** One row of the owner's payments list: a top-up or a till payment. */
export const PaymentRow = z.object({
  id: z.string(),
  kind: PaymentKind,
  memberId: z.string(),
  memberNo: z.string(),
  description: z.string(),
  amountFen: Fen,
  wechatFen: Fen,
  walletFen: Fen,
  outTradeNo: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  refundedFen: Fen,
  /** What may still be refunded from here (0 when nothing). */
  refundableFen: Fen,
  createdAt: z.string(),
});
export type PaymentRow = z.infer<typeof PaymentRow>;

export const PaymentsQuery = z.strictObject({
  kind: PaymentKind.optional(),
  status: z.string().max(30).optional(),
  /** createdAt (ISO) of the last row seen. */
  cursor: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PaymentsQuery = z.infer<typeof PaymentsQuery>;

export const PaymentList = z.object({ payments: z.array(PaymentRow), nextCursor: z.string().nullable() });
export type PaymentList = z.infer<typeof PaymentList>;

export const WalletSettings = z.strictObject({ refundEnabled: z.boolean() });
export type WalletSettings = z.infer<typeof WalletSettings>;

/** The daily comparison of our ledger with WeChat Pay's trade bill. */
export const ReconciliationReport = z.object({
  date: z.string(),
  ours: z.object({ payments: z.number().int(), paidFen: Fen, refunds: z.number().int(), refundedFen: Fen }),
  theirs: z.object({ payments: z.number().int(), paidFen: Fen, refunds: z.number().int(), refundedFen: Fen }),
  differences: z.array(
    z.object({
      outTradeNo: z.string(),
      kind: z.enum(['missing_in_ours', 'missing_in_theirs', 'amount_mismatch', 'state_mismatch']),
      detail: z.string(),
    }),
  ),
  createdAt: z.string(),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

export const WalletPaths = {
  packages: '/api/v1/wallet/packages',
  myWallet: '/api/v1/me/wallet',
  myWalletHistory: '/api/v1/me/wallet/history',
  /** POST starts a top-up; GET lists the member's top-ups (WalletPageQuery). */
  myTopUps: '/api/v1/me/wallet/top-ups',
  myTopUp: (id: string) => `/api/v1/me/wallet/top-ups/${id}`,
  /** The client's return from wx.requestPayment: the server asks WeChat Pay and credits if paid. */
  myTopUpConfirm: (id: string) => `/api/v1/me/wallet/top-ups/${id}/confirm`,
  myTopUpRefund: (id: string) => `/api/v1/me/wallet/top-ups/${id}/refund`,
  myPendingCharge: '/api/v1/me/wallet/charges/pending',
  myChargeConfirm: (id: string) => `/api/v1/me/wallet/charges/${id}/confirm`,
  myChargeDecline: (id: string) => `/api/v1/me/wallet/charges/${id}/decline`,
  myCharge: (id: string) => `/api/v1/me/wallet/charges/${id}`,
  myPayCode: '/api/v1/me/wallet/pay-code',
  staffCharges: '/api/v1/staff/wallet/charges',
  staffCharge: (id: string) => `/api/v1/staff/wallet/charges/${id}`,
  staffChargeRefunds: (id: string) => `/api/v1/staff/wallet/charges/${id}/refunds`,
  /** Staff call off a payment the member has not confirmed yet. */
  staffChargeCancel: (id: string) => `/api/v1/staff/wallet/charges/${id}/cancel`,
  adminPackages: '/api/v1/admin/wallet/packages',
  adminPackage: (id: string) => `/api/v1/admin/wallet/packages/${id}`,
  adminLiability: '/api/v1/admin/wallet/liability',
  adminSettings: '/api/v1/admin/wallet/settings',
  adminPayments: '/api/v1/admin/payments',
  adminTopUpRefund: (id: string) => `/api/v1/admin/wallet/top-ups/${id}/refunds`,
  adminChargeRefund: (id: string) => `/api/v1/admin/wallet/charges/${id}/refunds`,
  adminReconciliation: '/api/v1/admin/payments/reconciliation',
  /** WeChat Pay posts its notifications here (no auth: the signature is checked). */
  payNotify: '/api/v1/pay/notify',
  refundNotify: '/api/v1/pay/refund-notify',
} as const;
