// Member numbers pasted by the owner (a column copied from Excel, a list typed by hand): one per line or separated by
// commas, semicolons or spaces, for coupon pushes and bulk tag changes.
import { formatPoints, MAX_BULK_MEMBERS } from '@member-hub/shared';

/** The 会员号 typed, deduplicated in order, and the entries that are not 8 digits. */
export function parseMemberNos(text: string): { memberNos: string[]; invalid: string[] } {
  const entries = [
    ...new Set(
      text
        .split(/[\s,，、;；]+/)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    ),
  ];
  return {
    memberNos: entries.filter((entry) => /^\d{8}$/.test(entry)),
    invalid: entries.filter((entry) => !/^\d{8}$/.test(entry)),
  };
}

/** The member numbers to send, or why the text cannot be sent (the first few bad entries named). */
export function readMemberNos(text: string): { ok: true; memberNos: string[] } | { ok: false; message: string } {
  const { memberNos, invalid } = parseMemberNos(text);
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 5).join('、');
    return {
      ok: false,
      message: `会员号应为 8 位数字：${shown}${invalid.length > 5 ? ` 等 ${invalid.length} 个` : ''}`,
    };
  }
  if (memberNos.length === 0) return { ok: false, message: '请填写会员号，每行一个或用逗号隔开' };
  if (memberNos.length > MAX_BULK_MEMBERS) {
    return { ok: false, message: `一次最多 ${formatPoints(MAX_BULK_MEMBERS)} 个会员号` };
  }
  return { ok: true, memberNos };
}
