// Audit action names are stable codes chosen by the server; the owner reads them in Chinese.
import type { AuditEntry } from '@member-hub/shared';

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'member.read': '查看会员资料',
  'member.list': '查询会员列表',
  'member.search': '搜索会员',
  'member.scan': '扫码识别会员',
  'member.merge': '合并会员',
  'member.birthday.set': '修改生日',
  'member.profile.update': '修改个人资料',
  'member.phone.bind': '绑定手机号',
  'member.export': '导出数据',
  'member.delete': '注销账号',
  'store.create': '新增门店',
  'store.update': '修改门店',
  'staff.create': '新增员工',
  'staff.update': '修改员工',
  'staff.invite.create': '生成邀请码',
  'staff.invite.accept': '使用邀请码开通',
  'staff.login': '员工登录',
  'owner.login': '店主登录',
  'job.run': '立即运行后台任务',
  'backup.download': '下载完整备份',
  'backup.download.finished': '完整备份下载结束',
  'campaign.create': '新建营销活动',
  'campaign.start': '开始营销活动',
  'campaign.cancel': '取消营销活动',
};

/** The Chinese label of a known action; an unknown one is shown raw so nothing is hidden. */
export function actionLabel(action: string): string {
  return isKnownAction(action) ? (AUDIT_ACTION_LABELS[action] ?? action) : action;
}

/** Own keys only: `toString` is not an action. */
export function isKnownAction(action: string): boolean {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action);
}

const ACTOR_KIND_LABELS: Record<AuditEntry['actor']['kind'], string> = {
  owner: '店主',
  staff: '店员',
  member: '会员',
  system: '系统',
};

/** `店员 · 小王`, or just `系统` when the actor has no name. */
export function actorText(actor: AuditEntry['actor']): string {
  const kind = ACTOR_KIND_LABELS[actor.kind] ?? actor.kind;
  return actor.name ? `${kind} · ${actor.name}` : kind;
}

/** Details as one short line of JSON for the table; the full text goes in a tooltip. */
export function compactDetails(details: Record<string, unknown>, maxLength = 80): { short: string; full: string } {
  if (Object.keys(details).length === 0) return { short: '—', full: '' };
  let full: string;
  try {
    full = JSON.stringify(details);
  } catch {
    full = String(details);
  }
  const short = full.length > maxLength ? `${full.slice(0, maxLength - 1)}…` : full;
  return { short, full };
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** What the owner typed in the member filter: a member id (24 hex, from a link) or a member number to look up. */
export type MemberFilterInput = { kind: 'none' } | { kind: 'id'; id: string } | { kind: 'memberNo'; memberNo: string };

export function parseMemberFilter(text: string): MemberFilterInput {
  const value = text.trim();
  if (value === '') return { kind: 'none' };
  if (OBJECT_ID.test(value.toLowerCase())) return { kind: 'id', id: value.toLowerCase() };
  return { kind: 'memberNo', memberNo: value };
}

/** A long id shortened for a table cell: `…9f3a21bc`. */
export function shortId(id: string): string {
  return id.length > 10 ? `…${id.slice(-8)}` : id;
}
