// 导出, the pure part: the export dialogs' forms -> the export queries (checked by the shared schemas, their Chinese
// messages next to the inputs), what the owner is told about phone numbers, and why an export was refused.
import { LedgerExportQuery, MemberExportQuery } from '@member-hub/shared';
import { ApiError, errorMessage } from '../../api';
import type { LedgerExportParams, MemberExportParams } from '../../api/exports';
import { type FieldErrors, type FormCheck, type FormIssue, issueMessage } from '../../forms';
import type { TierName } from '../../route';

export interface MemberExportForm {
  /** '' = every tier. */
  tier: TierName | '';
  /** yyyy-MM-dd; blank = open. */
  joinedFrom: string;
  joinedTo: string;
  /** 导出完整手机号 (needs the permission; audited). */
  fullPhone: boolean;
}

export interface LedgerExportForm {
  account: 'points' | 'wallet';
  from: string;
  to: string;
  /** '' = every member. */
  memberNo: string;
}

export const ACCOUNT_LABELS: Record<LedgerExportForm['account'], string> = { points: '积分', wallet: '储值' };

export const MASKED_PHONE_NOTE = '手机号将脱敏导出（如 138****1234）。';
export const FULL_PHONE_NOTE = '将导出完整手机号：需要「导出完整手机号」权限，本次导出会记入审计日志。';
export const NO_PHONE_NOTE = '此文件不含手机号。';

const LABELS: Readonly<Record<string, string>> = {
  joinedFrom: '开始日期',
  joinedTo: '结束日期',
  from: '开始日期',
  to: '结束日期',
  memberNo: '会员号',
};

/** The schema's problems next to their inputs, and a range that ends before it starts. */
function checked<T, F extends string>(
  result: { success: true; data: T } | { success: false; error: { issues: readonly FormIssue[] } },
  range: [F, string, string],
): FormCheck<T, F> {
  const errors: FieldErrors<F> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0]) as F;
      errors[field] ??= issueMessage(issue, LABELS);
    }
  }
  const [toField, from, to] = range;
  if (from && to && from > to) errors[toField] ??= '结束日期不能早于开始日期';
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: result.data };
}

const blank = (text: string) => (text.trim() === '' ? undefined : text.trim());

export function memberExportForm(form: MemberExportForm): FormCheck<MemberExportParams, 'joinedFrom' | 'joinedTo'> {
  const joinedFrom = blank(form.joinedFrom);
  const joinedTo = blank(form.joinedTo);
  const result = MemberExportQuery.safeParse({
    tier: form.tier === '' ? undefined : form.tier,
    joinedFrom,
    joinedTo,
    phone: form.fullPhone ? 'full' : 'masked',
  });
  return checked(result, ['joinedTo', joinedFrom ?? '', joinedTo ?? '']);
}

export function ledgerExportForm(form: LedgerExportForm): FormCheck<LedgerExportParams, 'from' | 'to' | 'memberNo'> {
  const from = blank(form.from);
  const to = blank(form.to);
  const result = LedgerExportQuery.safeParse({ account: form.account, from, to, memberNo: blank(form.memberNo) });
  return checked(result, ['to', from ?? '', to ?? '']);
}

/** A refused export in words: FORBIDDEN for full phones says which permission is missing. */
export function exportErrorMessage(error: unknown, fullPhone = false): string {
  if (error instanceof ApiError && error.code === 'FORBIDDEN') {
    return fullPhone
      ? '没有「导出完整手机号」权限：请取消勾选后导出脱敏的手机号，或请店铺管理员开通权限'
      : '没有导出权限，请联系店铺管理员';
  }
  return errorMessage(error, '导出失败，请稍后再试');
}
