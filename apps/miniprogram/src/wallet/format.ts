import {
  type Charge,
  formatFen,
  formatPoints,
  RefundStatusLabels,
  type TopUp,
  type TopUpPackage,
  TopUpStatusLabels,
  type WalletEntry,
  WalletEntryKindLabels,
} from '@member-hub/shared';
import { formatDate, formatDateTime } from '../loyalty/format';

/** +¥550.00 / -¥100.00 / ¥0.00: money coming in is signed, as on a bank statement. */
export function signedFen(fen: number): string {
  return fen > 0 ? `+${formatFen(fen)}` : formatFen(fen);
}

/** "本金 ¥500.00 · 赠送 ¥50.00": how a balance (or one movement of it, signed) splits. */
export function splitText(principalFen: number, bonusFen: number, signed = false): string {
  const money = signed ? signedFen : formatFen;
  return `本金 ${money(principalFen)} · 赠送 ${money(bonusFen)}`;
}

/** One row of 余额明细: its kind, what the server noted, and the amount with its split. */
export function walletEntryLines(entry: WalletEntry): { title: string; amount: string; split: string } {
  const kind = WalletEntryKindLabels[entry.kind] ?? entry.kind;
  const note = entry.note.trim();
  return {
    title: note && note !== kind ? `${kind} · ${note}` : kind,
    amount: signedFen(entry.amountFen),
    split: splitText(entry.principalFen, entry.bonusFen, true),
  };
}

/** "¥500.00 + 赠送 ¥50.00": what a top-up paid and what it gave on top (nothing when it gave nothing). */
export function topUpAmountText(topUp: TopUp): string {
  return `${formatFen(topUp.payFen)}${topUp.bonusFen > 0 ? ` + 赠送 ${formatFen(topUp.bonusFen)}` : ''}`;
}

/** One row of 充值记录: the package, the amount with its bonus, the status, when, and the refund's state if asked. */
export function topUpRowLines(topUp: TopUp): {
  title: string;
  amount: string;
  status: string;
  time: string;
  refund: string | null;
} {
  return {
    title: topUp.packageName,
    amount: topUpAmountText(topUp),
    status: TopUpStatusLabels[topUp.status] ?? topUp.status,
    time: formatDateTime(topUp.createdAt),
    refund: topUp.refund ? (RefundStatusLabels[topUp.refund.status] ?? topUp.refund.status) : null,
  };
}

/** What a package card says: 充 ¥500.00, 送 ¥50.00, 到账 ¥550.00, and its limits. */
export function packageLines(pkg: TopUpPackage): {
  pay: string;
  bonus: string | null;
  total: string;
  notes: string[];
  soldOut: boolean;
} {
  const notes: string[] = [];
  if (pkg.validUntil) notes.push(`${formatDate(pkg.validUntil)} 前有效`);
  const remaining = pkg.remaining ?? null;
  if (pkg.perMemberLimit !== null) {
    notes.push(
      remaining === null || remaining > 0
        ? `每人限购 ${pkg.perMemberLimit} 次${remaining !== null ? `，还可买 ${remaining} 次` : ''}`
        : '已达购买上限',
    );
  }
  return {
    pay: `充 ${formatFen(pkg.payFen)}`,
    bonus: pkg.bonusFen > 0 ? `送 ${formatFen(pkg.bonusFen)}` : null,
    total: `到账 ${formatFen(pkg.payFen + pkg.bonusFen)}`,
    notes,
    soldOut: remaining !== null && remaining <= 0,
  };
}

export interface Line {
  label: string;
  value: string;
  /** Under the value, smaller (the principal/bonus split). */
  note?: string;
}

/**
 * The payment the member is asked to confirm, line by line: 门店, 金额, 积分抵扣, 储值支付 and, when stored value
 * does not cover it, 微信支付 for the rest.
 */
export function chargeLines(charge: Charge): Line[] {
  const lines: Line[] = [
    { label: '门店', value: charge.storeName },
    { label: '金额', value: formatFen(charge.amountFen) },
    {
      label: '积分抵扣',
      value:
        charge.offsetPoints > 0
          ? `${formatPoints(charge.offsetPoints)} 积分（-${formatFen(charge.offsetFen)}）`
          : '不使用积分',
    },
    {
      label: '储值支付',
      value: formatFen(charge.walletFen),
      ...(charge.walletFen > 0 && { note: splitText(charge.principalFen, charge.bonusFen) }),
    },
  ];
  if (charge.wechatFen > 0) {
    lines.push({ label: '微信支付', value: formatFen(charge.wechatFen), note: '储值余额不足的部分用微信支付' });
  }
  return lines;
}

/** "收款成功：储值 ¥100.00，微信 ¥0.00，积分 +100" (the till) or the member's version without "收款". */
export function chargeSettledText(charge: Charge, who: 'staff' | 'member'): string {
  const parts = `储值 ${formatFen(charge.walletFen)}，微信 ${formatFen(charge.wechatFen)}，积分 +${formatPoints(charge.pointsEarned)}`;
  return `${who === 'staff' ? '收款成功' : '支付成功'}：${parts}`;
}
