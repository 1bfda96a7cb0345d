// Issue 5 contract: profile, phone binding, the rotating member code, staff mode, stores, staff, audit, admin members.
import { z } from 'zod';
import { MemberCard, TierNames } from './schemas';

/** A MongoDB ObjectId as 24 hex characters. */
export const ObjectIdText = z.string().regex(/^[0-9a-f]{24}$/, '编号无效');
const StoreIdText = z.string().regex(/^[0-9a-f]{24}$/, '门店无效');
const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '账号为 3-32 位字母、数字、下划线');
const NewPassword = z.string().min(8, '密码至少 8 位').max(128);

export const Gender = z.enum(['unknown', 'male', 'female']);
export type Gender = z.infer<typeof Gender>;

/** yyyy-MM-dd, a real calendar date, not in the future, not before 1900. */
export const BirthdayText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '生日格式应为 YYYY-MM-DD')
  .refine((text) => {
    const d = new Date(`${text}T00:00:00Z`);
    return (
      !Number.isNaN(d.getTime()) &&
      d.toISOString().slice(0, 10) === text &&
      d.getUTCFullYear() >= 1900 &&
      d.getTime() <= Date.now()
    );
  }, '生日不是有效日期');

export const Region = z.strictObject({
  province: z.string().trim().min(1).max(20),
  city: z.string().trim().max(20).default(''),
  district: z.string().trim().max(20).default(''),
});
export type Region = z.infer<typeof Region>;

/** The member's own profile: the only response with the phone number unmasked. */
export const MyProfile = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  nickname: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  birthday: z.string().nullable(),
  /** Once set by the member, only staff can change it (with a reason). */
  birthdayLocked: z.boolean(),
  gender: Gender,
  region: Region.nullable(),
  phone: z.string().nullable(),
});
export type MyProfile = z.infer<typeof MyProfile>;

export const UpdateProfileRequest = z
  .strictObject({
    nickname: z.string().trim().min(1, '昵称不能为空').max(20, '昵称最多 20 个字'),
    avatarUrl: z.url('头像地址无效').max(512),
    birthday: BirthdayText,
    gender: Gender,
    region: Region,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项');
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

export const BindPhoneRequest = z.strictObject({ code: z.string().min(1, '缺少手机号授权码').max(128) });
export type BindPhoneRequest = z.infer<typeof BindPhoneRequest>;

export const BindPhoneResponse = z.object({
  /** True when the phone belonged to an existing member (imported / POS): this WeChat account now uses it. */
  linkedExisting: z.boolean(),
  token: z.string(),
  expiresAt: z.string(),
  profile: MyProfile,
});
export type BindPhoneResponse = z.infer<typeof BindPhoneResponse>;

/** The rotating code shown as QR + barcode + 8 digits. */
export const MemberCode = z.object({
  /** 8 digits, for the barcode and for typing. */
  numeric: z.string().regex(/^\d{8}$/),
  /** What the QR code encodes: `MH1:<brand>:<numeric>`. */
  qrPayload: z.string(),
  /** When a new code should be fetched (ISO time; the window end). */
  refreshAt: z.string(),
});
export type MemberCode = z.infer<typeof MemberCode>;

export const MyCardResponse = MemberCard.extend({ code: MemberCode });
export type MyCardResponse = z.infer<typeof MyCardResponse>;

export const StaffRole = z.enum(['staff', 'manager']);
export type StaffRole = z.infer<typeof StaffRole>;

export const StaffLoginRequest = z.strictObject({
  username: z.string().trim().min(1, '请输入账号').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});
export type StaffLoginRequest = z.infer<typeof StaffLoginRequest>;

export const StaffProfile = z.object({
  staffId: z.string(),
  name: z.string(),
  username: z.string(),
  role: StaffRole,
  store: z.object({ id: z.string(), name: z.string(), code: z.string() }),
});
export type StaffProfile = z.infer<typeof StaffProfile>;

export const StaffLoginResponse = z.object({ token: z.string(), expiresAt: z.string(), staff: StaffProfile });
export type StaffLoginResponse = z.infer<typeof StaffLoginResponse>;

export const AcceptInviteRequest = z.strictObject({
  inviteCode: z.string().trim().min(6).max(64),
  name: z.string().trim().min(1, '请输入姓名').max(20),
  username: Username,
  password: NewPassword,
});
export type AcceptInviteRequest = z.infer<typeof AcceptInviteRequest>;

export const ScanRequest = z.strictObject({
  /** What the scanner read (the QR payload) or what staff typed (8 digits). */
  code: z.string().trim().min(1, '请输入会员码').max(128),
});
export type ScanRequest = z.infer<typeof ScanRequest>;

/** What staff and owners see of any member: never the phone number, only its mask. */
export const MemberBasics = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  nickname: z.string().nullable(),
  maskedPhone: z.string().nullable(),
  tier: z.string(),
  points: z.number().int(),
  storedValueFen: z.number().int(),
});
export type MemberBasics = z.infer<typeof MemberBasics>;

export const MemberSummary = MemberBasics.extend({
  /** The coupons the till can apply for this member now, at this store. */
  coupons: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type MemberSummary = z.infer<typeof MemberSummary>;

export const Store = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  address: z.string(),
  active: z.boolean(),
});
export type Store = z.infer<typeof Store>;

export const CreateStoreRequest = z.strictObject({
  name: z.string().trim().min(1, '请输入门店名称').max(40),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,16}$/, '门店编码为 2-16 位字母、数字或横线'),
  address: z.string().trim().max(120).default(''),
});
export type CreateStoreRequest = z.infer<typeof CreateStoreRequest>;

export const UpdateStoreRequest = z
  .strictObject({ name: z.string().trim().min(1).max(40), address: z.string().trim().max(120), active: z.boolean() })
  .partial();
export type UpdateStoreRequest = z.infer<typeof UpdateStoreRequest>;

export const StaffAccount = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  role: StaffRole,
  storeId: z.string(),
  active: z.boolean(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

export const CreateStaffRequest = z.strictObject({
  storeId: StoreIdText,
  name: z.string().trim().min(1, '请输入姓名').max(20),
  username: Username,
  password: NewPassword,
  role: StaffRole.default('staff'),
});
export type CreateStaffRequest = z.infer<typeof CreateStaffRequest>;

export const UpdateStaffRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(20),
    role: StaffRole,
    active: z.boolean(),
    password: z.string().min(8).max(128),
  })
  .partial();
export type UpdateStaffRequest = z.infer<typeof UpdateStaffRequest>;

export const CreateInviteRequest = z.strictObject({
  storeId: StoreIdText,
  role: StaffRole.default('staff'),
});
export const StaffInvite = z.object({
  inviteCode: z.string(),
  storeId: z.string(),
  role: StaffRole,
  expiresAt: z.string(),
});
export type StaffInvite = z.infer<typeof StaffInvite>;

export const AdminMemberRow = MemberBasics.extend({
  createdAt: z.string(),
  status: z.enum(['active', 'merged', 'deleted']),
  /** The member's tags (manual and rule), by name. Always sent; optional so rows built before tags still parse. */
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string().nullable() })).optional(),
});
export type AdminMemberRow = z.infer<typeof AdminMemberRow>;

export const AdminMemberSort = z.enum(['joined', 'points', 'memberNo']);
export type AdminMemberSort = z.infer<typeof AdminMemberSort>;

export const AdminMemberListQuery = z.strictObject({
  /** A phone number (exact, via the blind index), a member number, or part of a nickname. */
  q: z.string().trim().max(40).optional(),
  tier: z.enum(TierNames).optional(),
  /** Members with this tag. */
  tagId: ObjectIdText.optional(),
  /** Active members of this saved segment (404 when there is no such segment). */
  segmentId: ObjectIdText.optional(),
  /** joined = registration time. Ties (same time, same points) are broken by member id, so pages never overlap. */
  sort: AdminMemberSort.default('joined'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque cursor from the previous page (`next`), for the same sort and order; 400 when it is not one. */
  after: z.string().max(64).optional(),
});
export type AdminMemberListQuery = z.infer<typeof AdminMemberListQuery>;
export const AdminMemberList = z.object({
  items: z.array(AdminMemberRow),
  next: z.string().nullable(),
  /** Members matching the filters, over all pages. Always sent; optional so older fixtures still parse. */
  total: z.number().int().optional(),
});
export type AdminMemberList = z.infer<typeof AdminMemberList>;

export const AdminMemberDetail = AdminMemberRow.extend({
  birthday: z.string().nullable(),
  gender: Gender,
  region: Region.nullable(),
  growth: z.number().int(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  /** Set when this member was merged into another: the survivor's id. */
  mergedInto: z.string().nullable(),
});
export type AdminMemberDetail = z.infer<typeof AdminMemberDetail>;

export const MergeMembersRequest = z.strictObject({
  sourceMemberId: ObjectIdText,
  targetMemberId: ObjectIdText,
  reason: z.string().trim().min(2, '请填写合并原因').max(200),
});
export const MergeResult = z.object({
  mergeId: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  state: z.enum(['done']),
});
export type MergeResult = z.infer<typeof MergeResult>;

/** PATCH .../birthday answers with the member's AdminMemberDetail as changed. */
export const SetBirthdayByStaffRequest = z.strictObject({
  birthday: BirthdayText,
  reason: z.string().trim().min(2, '请填写修改原因').max(200),
});

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(['owner', 'staff', 'member', 'system']),
    id: z.string(),
    name: z.string().nullable(),
  }),
  action: z.string(),
  memberId: z.string().nullable(),
  storeId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  memberId: ObjectIdText.optional(),
  action: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(64).optional(),
});
export const AuditList = z.object({ items: z.array(AuditEntry), next: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;

export const IdentityPaths = {
  myCard: '/api/v1/me/card',
  myProfile: '/api/v1/me/profile',
  myPhone: '/api/v1/me/phone',
  myExport: '/api/v1/me/export',
  me: '/api/v1/me',
  staffLogin: '/api/v1/staff/auth/login',
  staffAcceptInvite: '/api/v1/staff/auth/accept-invite',
  staffMe: '/api/v1/staff/me',
  staffScan: '/api/v1/staff/scan',
  adminMembers: '/api/v1/admin/members',
  adminMember: (id: string) => `/api/v1/admin/members/${id}`,
  adminMemberBirthday: (id: string) => `/api/v1/admin/members/${id}/birthday`,
  adminMerges: '/api/v1/admin/member-merges',
  adminStores: '/api/v1/admin/stores',
  adminStore: (id: string) => `/api/v1/admin/stores/${id}`,
  adminStaff: '/api/v1/admin/staff',
  adminStaffMember: (id: string) => `/api/v1/admin/staff/${id}`,
  adminStaffInvites: '/api/v1/admin/staff-invites',
  adminAudit: '/api/v1/admin/audit',
} as const;
