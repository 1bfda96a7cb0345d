// Text for values the server sends as codes or ISO times. Unknown codes are shown as they are, never hidden.
import {
  type AdminMemberDetail,
  formatFen,
  formatPoints,
  type PointsLiability,
  type Region,
  type StaffRole,
} from '@member-hub/shared';

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO time -> `2024-05-01 09:30` in the browser's time zone (`withSeconds` adds `:05`); unparsable text as is. */
export function formatDateTime(iso: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return withSeconds ? `${day} ${time}:${pad(date.getSeconds())}` : `${day} ${time}`;
}

export const MEMBER_STATUS_LABELS: Record<AdminMemberDetail['status'], string> = {
  active: '正常',
  merged: '已合并',
  deleted: '已注销',
};

export const GENDER_LABELS: Record<AdminMemberDetail['gender'], string> = {
  unknown: '未填写',
  male: '男',
  female: '女',
};

export const ROLE_LABELS: Record<StaffRole, string> = { staff: '店员', manager: '店长' };

const IDENTITY_KIND_LABELS: Readonly<Record<string, string>> = {
  wechat: '微信',
  openid: '微信 OpenID',
  wechat_openid: '微信 OpenID',
  unionid: '微信 UnionID',
  wechat_unionid: '微信 UnionID',
  phone: '手机号',
  pos: '收银系统',
  import: '导入',
};

export function identityKindLabel(kind: string): string {
  return Object.hasOwn(IDENTITY_KIND_LABELS, kind) ? (IDENTITY_KIND_LABELS[kind] ?? kind) : kind;
}

/** `{ province: '浙江省', city: '杭州市', district: '' }` -> `浙江省 杭州市`; none -> null. */
export function regionText(region: Region | null): string | null {
  if (!region) return null;
  const text = [region.province, region.city, region.district].filter((part) => part.trim() !== '').join(' ');
  return text === '' ? null : text;
}

/** The 积分负债 card: "未使用积分 12,345，约合 ¥123.45" and who holds them. */
export function liabilityText(liability: PointsLiability): { value: string; members: string } {
  return {
    value: `未使用积分 ${formatPoints(liability.outstandingPoints)}，约合 ${formatFen(liability.valueFen)}`,
    members: `${formatPoints(liability.members)} 位会员持有`,
  };
}
