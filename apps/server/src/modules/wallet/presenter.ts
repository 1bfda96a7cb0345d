import {
  type Charge,
  ChargeStatusLabels,
  type PaymentRow,
  type TopUp,
  type TopUpPackage,
  TopUpStatusLabels,
  type WalletEntry,
  WalletEntryKind,
} from '@member-hub/shared';
import type { ChargeDoc, TopUpDoc, TopUpPackageDoc } from './model';

export function presentPackage(p: TopUpPackageDoc & { remaining?: number | null }): TopUpPackage {
  return {
    id: p._id.toHexString(),
    name: p.name,
    payFen: p.payFen,
    bonusFen: p.bonusFen,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    perMemberLimit: p.perMemberLimit,
    active: p.active,
    sort: p.sort,
    ...(p.remaining !== undefined && { remaining: p.remaining }),
  };
}

export function presentTopUp(t: TopUpDoc): TopUp {
  return {
    id: t._id.toHexString(),
    memberId: t.memberId.toHexString(),
    packageId: t.packageId.toHexString(),
    packageName: t.packageName,
    payFen: t.payFen,
    bonusFen: t.bonusFen,
    status: t.status,
    outTradeNo: t.outTradeNo,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    paidAt: t.paidAt?.toISOString() ?? null,
    refund: t.refund && {
      principalFen: t.refund.principalFen,
      bonusForfeitedFen: t.refund.bonusForfeitedFen,
      status: t.refund.status,
      requestedAt: new Date(t.refund.requestedAt).toISOString(),
      finishedAt: t.refund.finishedAt ? new Date(t.refund.finishedAt).toISOString() : null,
    },
  };
}

export function presentCharge(c: ChargeDoc, storeName: string): Charge {
  return {
    id: c._id.toHexString(),
    memberId: c.memberId.toHexString(),
    storeId: c.storeId.toHexString(),
    storeName,
    amountFen: c.amountFen,
    offsetPoints: c.offsetPoints,
    offsetFen: c.offsetFen,
    walletFen: c.walletFen,
    principalFen: c.principalFen,
    bonusFen: c.bonusFen,
    wechatFen: c.wechatFen,
    // 'confirming' lasts a moment inside one request; outside it reads as still waiting.
    status: c.status === 'confirming' ? 'awaiting_member' : c.status,
    createdAt: c.createdAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    completedAt: c.completedAt?.toISOString() ?? null,
    orderId: c.orderId?.toHexString() ?? null,
    pointsEarned: c.pointsEarned,
    refundedFen: c.refundedFen,
  };
}

export function presentWalletEntry(row: {
  id: string;
  kind: string;
  principalFen: number;
  bonusFen: number;
  note: string;
  at: Date;
}): WalletEntry {
  const kind = WalletEntryKind.safeParse(row.kind);
  return {
    id: row.id,
    kind: kind.success ? kind.data : 'adjustment',
    amountFen: row.principalFen + row.bonusFen,
    principalFen: row.principalFen,
    bonusFen: row.bonusFen,
    note: row.note,
    at: row.at.toISOString(),
  };
}

export function topUpRow(t: TopUpDoc, memberNo: string): PaymentRow {
  return {
    id: t._id.toHexString(),
    kind: 'top_up',
    memberId: t.memberId.toHexString(),
    memberNo,
    description: `充值 ${t.packageName}`,
    amountFen: t.payFen,
    wechatFen: t.payFen,
    walletFen: 0,
    outTradeNo: t.outTradeNo,
    status: t.status,
    statusLabel: TopUpStatusLabels[t.status],
    refundedFen: t.status === 'refunded' ? (t.refund?.principalFen ?? 0) : 0,
    refundableFen: t.status === 'paid' && !t.refund ? t.payFen : 0,
    createdAt: t.createdAt.toISOString(),
  };
}

export function chargeRow(c: ChargeDoc, memberNo: string): PaymentRow {
  const status = c.status === 'confirming' ? 'awaiting_member' : c.status;
  const paid = c.walletFen + c.wechatFen;
  const refundable = ['completed', 'partially_refunded'].includes(status) ? paid - c.refundedFen : 0;
  return {
    id: c._id.toHexString(),
    kind: 'charge',
    memberId: c.memberId.toHexString(),
    memberNo,
    description: `门店消费${c.offsetPoints ? `（积分抵扣 ${c.offsetPoints}）` : ''}`,
    amountFen: c.amountFen,
    wechatFen: c.wechatFen,
    walletFen: c.walletFen,
    outTradeNo: c.outTradeNo,
    status,
    statusLabel: ChargeStatusLabels[status],
    refundedFen: c.refundedFen,
    refundableFen: refundable,
    createdAt: c.createdAt.toISOString(),
  };
}
