// The pure part of the member detail actions: what the owner typed -> a request body or the first problem,
// in the shared schemas' own Chinese words.
import {
  type AdminMemberDetail,
  type AdminMemberRow,
  MergeMembersRequest,
  SetBirthdayByStaffRequest,
} from '@member-hub/shared';
import type { MergeMembersBody, SetBirthdayBody } from '../../api/members';
import type { FormResult } from '../../forms';

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
