// The pure part of the member detail actions: what the owner typed -> a request body or the first problem,
// in the shared schemas' own Chinese words.
import {
  type AdminMemberDetail,
  type AdminMemberRow,
  formatPoints,
  GrantTierRequest,
  MergeMembersRequest,
  PointsAdjustmentRequest,
  SetBirthdayByStaffRequest,
} from '@member-hub/shared';
import { ApiError, errorMessage, isRouteMissing } from '../../api';
import type { GrantTierBody, PointsAdjustmentBody } from '../../api/loyalty';
import type { MergeMembersBody, SetBirthdayBody } from '../../api/members';
import type { FormResult } from '../../forms';
import { parseWhole } from '../../units';

const REASON_MAX = 200;
const REASON_TOO_LONG = `原因最多 ${REASON_MAX} 个字`;

export function birthdayForm(birthday: string, reason: string): FormResult<SetBirthdayBody> {
  if (birthday.trim() === '') return { ok: false, message: '请选择生日' };
  if (reason.trim().length > REASON_MAX) return { ok: false, message: REASON_TOO_LONG };
  const result = SetBirthdayByStaffRequest.safeParse({ birthday: birthday.trim(), reason });
  if (result.success) return { ok: true, body: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? '请检查生日和原因' };
}

/** Why the typed member number cannot be looked up yet, or null. */
export function mergeLookupProblem(
  input: string,
  current: Pick<AdminMemberDetail, 'memberNo' | 'status'>,
): string | null {
  if (current.status !== 'active') return '该会员已合并或已注销，不能再合并';
  const memberNo = input.trim();
  if (memberNo === '') return '请输入要合并的会员号';
  if (memberNo === current.memberNo) return '不能与自己合并，请输入另一个会员的会员号';
  return null;
}

/** The search also matches nicknames and phones; a merge needs the member whose number is exactly the one typed. */
export function findByMemberNo(items: readonly AdminMemberRow[], input: string): AdminMemberRow | null {
  const memberNo = input.trim();
  return items.find((item) => item.memberNo === memberNo) ?? null;
}

/** Which of the two stays: the one on this page, or the one looked up. */
export type Survivor = 'current' | 'other';

export interface MergeChoice {
  currentId: string;
  otherId: string;
  survivor: Survivor;
  reason: string;
}

/** The merge moves everything from the source into the target (the survivor). */
export function mergeForm({ currentId, otherId, survivor, reason }: MergeChoice): FormResult<MergeMembersBody> {
  if (currentId === otherId) return { ok: false, message: '不能与自己合并，请输入另一个会员的会员号' };
  if (reason.trim().length > REASON_MAX) return { ok: false, message: REASON_TOO_LONG };
  const [sourceMemberId, targetMemberId] = survivor === 'current' ? [otherId, currentId] : [currentId, otherId];
  const result = MergeMembersRequest.safeParse({ sourceMemberId, targetMemberId, reason });
  if (result.success) return { ok: true, body: result.data };
  const issue = result.error.issues[0];
  if (issue?.path[0] === 'reason') return { ok: false, message: issue.message };
  return { ok: false, message: '会员编号无效，请重新查找' };
}

// ---- Points and tier changes by the owner ----

export type AdjustDirection = 'add' | 'remove';

/** 增加/扣减 and a whole amount -> the signed adjustment, or the first problem. */
export function adjustPointsForm(input: {
  direction: AdjustDirection;
  amount: string;
  reason: string;
  idempotencyKey: string;
  currentPoints: number;
}): FormResult<PointsAdjustmentBody> {
  const amount = parseWhole(input.amount);
  if (input.amount.trim() === '') return { ok: false, message: '请输入调整的积分数量' };
  if (amount === null) return { ok: false, message: '积分数量请输入正整数' };
  if (amount === 0) return { ok: false, message: '调整数量不能为 0' };
  if (amount > MAX_ADJUSTMENT) return { ok: false, message: `单次最多调整 ${formatPoints(MAX_ADJUSTMENT)} 积分` };
  if (input.direction === 'remove' && amount > input.currentPoints) {
    return { ok: false, message: `积分不足：该会员当前只有 ${formatPoints(Math.max(0, input.currentPoints))} 积分` };
  }
  if (input.reason.trim().length > REASON_MAX) return { ok: false, message: REASON_TOO_LONG };
  const result = PointsAdjustmentRequest.safeParse({
    amount: input.direction === 'remove' ? -amount : amount,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
  });
  if (result.success) return { ok: true, body: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? '请检查调整数量和原因' };
}

/** A safety bound on what one typo can do; the contract itself sets none. */
export const MAX_ADJUSTMENT = 1_000_000;

/** What a failed adjustment says in the dialog: the balance for 积分不足, 即将上线 while the route is missing. */
export function adjustErrorMessage(error: unknown, currentPoints: number): string {
  if (error instanceof ApiError && error.code === 'INSUFFICIENT_POINTS') {
    return `积分不足：该会员当前只有 ${formatPoints(Math.max(0, currentPoints))} 积分，不能扣减更多`;
  }
  if (isRouteMissing(error)) return '积分调整功能即将上线，服务器暂未开放';
  return errorMessage(error);
}

export function grantTierForm(input: { tier: string; reason: string; current: string }): FormResult<GrantTierBody> {
  if (input.tier === '') return { ok: false, message: '请选择等级' };
  if (input.tier === input.current) return { ok: false, message: `该会员已是${input.current}，请选择其他等级` };
  if (input.reason.trim().length > REASON_MAX) return { ok: false, message: REASON_TOO_LONG };
  const result = GrantTierRequest.safeParse({ tier: input.tier, reason: input.reason });
  if (result.success) return { ok: true, body: result.data };
  const issue = result.error.issues[0];
  if (issue?.path[0] === 'tier') return { ok: false, message: '请选择有效的等级' };
  return { ok: false, message: issue?.message ?? '请检查等级和原因' };
}

export function grantTierErrorMessage(error: unknown): string {
  if (isRouteMissing(error)) return '调整等级功能即将上线，服务器暂未开放';
  return errorMessage(error);
}
