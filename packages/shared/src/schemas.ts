// Request and response schemas of the public API. The server validates with them; the clients type with them.
import { z } from 'zod';

export const TierNames = ['普通会员', '银卡', '金卡', '黑钻'] as const;

export const WechatLoginRequest = z.strictObject({
  code: z.string().min(1, '缺少登录码').max(128, '登录码过长'),
});
export type WechatLoginRequest = z.infer<typeof WechatLoginRequest>;

export const MemberCard = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  tier: z.enum(TierNames),
  points: z.number().int(),
  growth: z.number().int(),
  storedValueFen: z.number().int(),
  nickname: z.string().nullable(),
});
export type MemberCard = z.infer<typeof MemberCard>;

export const WechatLoginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  isNewMember: z.boolean(),
  member: MemberCard,
});
export type WechatLoginResponse = z.infer<typeof WechatLoginResponse>;

export const OwnerLoginRequest = z.strictObject({
  username: z.string().min(1, '请输入账号').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});
export type OwnerLoginRequest = z.infer<typeof OwnerLoginRequest>;

export const OwnerLoginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  owner: z.object({ id: z.string(), username: z.string() }),
});
export type OwnerLoginResponse = z.infer<typeof OwnerLoginResponse>;

export const AdminSummary = z.object({
  memberCount: z.number().int(),
});
export type AdminSummary = z.infer<typeof AdminSummary>;

/** What the H5 build needs to find the WeChat sandbox; sandboxBaseUrl is null when real WeChat is used. */
export const ClientConfig = z.object({
  appid: z.string(),
  sandboxBaseUrl: z.string().nullable(),
});
export type ClientConfig = z.infer<typeof ClientConfig>;

/** Public endpoint paths, so clients never spell a URL by hand. */
export const ApiPaths = {
  wechatLogin: '/api/v1/auth/wechat',
  ownerLogin: '/api/v1/admin/auth/login',
  adminSummary: '/api/v1/admin/summary',
  clientConfig: '/api/v1/client-config',
} as const;
