import {
  type AcceptInviteRequest,
  Charge,
  CouponPaths,
  CouponQuote,
  type CouponQuoteRequest,
  IdentityPaths,
  MemberSummary,
  PointsPaths,
  PurchaseResult,
  type RecordPurchaseRequest,
  type StaffChargeRequest,
  StaffCouponView,
  type StaffLoginRequest,
  StaffLoginResponse,
  StaffMemberCoupons,
  StaffProfile,
  type VerifyCouponRequest,
  VerifyCouponResult,
  WalletPaths,
} from '@member-hub/shared';
import { type ApiClient, bareOrWrapped, createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { Transport } from '../api/transport';

/** The staff login, kept apart from the member's: a shop phone can hold both, and neither may leak into the other. */
export interface StoredStaffSession {
  token: string;
  expiresAt: string;
  staff: StaffProfile;
}

export interface StaffSessionStore {
  get(): StoredStaffSession | null;
  set(session: StoredStaffSession): void;
  clear(): void;
}

export interface StaffSessionDeps {
  baseUrl: string;
  transport: Transport;
  store: StaffSessionStore;
  /** Called when the staff session ended (expired, revoked, disabled): the app goes back to staff login. */
  onSignedOut: (message: string) => void;
  now?: () => number;
}

export interface StaffSession {
  /** The logged-in staff member, or null when there is no live staff token. */
  current(): StoredStaffSession | null;
  login(request: StaffLoginRequest): Promise<StoredStaffSession>;
  acceptInvite(request: AcceptInviteRequest): Promise<StoredStaffSession>;
  /** Re-reads who is logged in (role or store may have changed); updates the stored profile. */
  refreshProfile(): Promise<StaffProfile>;
  /** Identifies a member from a scanned or typed member code. */
  scan(code: string): Promise<MemberSummary>;
  /** Records a purchase for the member this account scanned in the last few minutes. */
  recordPurchase(request: RecordPurchaseRequest): Promise<PurchaseResult>;
  /** Asks for a stored-value payment: the scanned member confirms it, or a payment code settles it at once. */
  startCharge(request: StaffChargeRequest): Promise<Charge>;
  /** Where a payment this store asked for stands (polled while the member confirms). */
  charge(id: string): Promise<Charge>;
  /** 取消收款 while the member has not confirmed: answers the charge as it is now (cancelled, or already confirmed). */
  cancelCharge(id: string): Promise<Charge>;
  /** A scanned or typed coupon: whose it is and whether this store can take it now. */
  lookupCoupon(code: string): Promise<StaffCouponView>;
  /** 核销 a gift coupon on its own; a retry with the same key answers as a replay. */
  verifyCoupon(request: VerifyCouponRequest): Promise<VerifyCouponResult>;
  /** What the coupons would take off this purchase, before it is recorded. */
  quoteCoupons(request: CouponQuoteRequest): Promise<CouponQuote>;
  /** The scanned member's coupons the till can apply now. */
  memberCoupons(memberId: string): Promise<StaffMemberCoupons>;
  logout(): void;
}

/** `GET /staff/me` as the bare profile or wrapped in `{staff}` (the contract does not pin which). */
const StaffMeSchema = bareOrWrapped(StaffProfile, 'staff');

/** The charge answers as the bare charge or wrapped in `{charge}` (the contract does not pin which). */
const ChargeSchema = bareOrWrapped(Charge, 'charge');

/** Answers that mean this staff token is no good any more; a new member login would not help here. */
function endsStaffSession(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.code === 'ACCOUNT_DISABLED');
}

export function createStaffSession({
  baseUrl,
  transport,
  store,
  onSignedOut,
  now = Date.now,
}: StaffSessionDeps): StaffSession {
  function current(): StoredStaffSession | null {
    const stored = store.get();
    if (!stored) return null;
    const expiresAt = Date.parse(stored.expiresAt);
    if (!Number.isNaN(expiresAt) && expiresAt <= now()) return null;
    return stored;
  }

  // Its own client: only ever the staff token, never the member's.
  const api: ApiClient = createApiClient({ baseUrl, transport, getToken: () => current()?.token ?? null });

  function signOut(message: string) {
    store.clear();
    onSignedOut(message);
  }

  async function authed<T>(call: () => Promise<T>): Promise<T> {
    if (!current()) {
      const expired = store.get() !== null;
      const message = expired ? '店员登录已过期，请重新登录' : '请先登录店员账号';
      signOut(message);
      throw new ApiError(expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED', message, 401);
    }
    try {
      return await call();
    } catch (error) {
      if (endsStaffSession(error)) {
        const message =
          error instanceof ApiError && error.code === 'ACCOUNT_DISABLED' ? error.message : '店员登录已失效，请重新登录';
        signOut(message);
      }
      throw error;
    }
  }

  function keep(response: StaffLoginResponse): StoredStaffSession {
    const session = { token: response.token, expiresAt: response.expiresAt, staff: response.staff };
    store.set(session);
    return session;
  }

  return {
    current,
    async login(request) {
      return keep(await api.post(IdentityPaths.staffLogin, request, StaffLoginResponse, { auth: false }));
    },
    async acceptInvite(request) {
      return keep(await api.post(IdentityPaths.staffAcceptInvite, request, StaffLoginResponse, { auth: false }));
    },
    async refreshProfile() {
      const staff = await authed(() => api.get(IdentityPaths.staffMe, StaffMeSchema));
      const stored = current();
      if (stored) store.set({ ...stored, staff });
      return staff;
    },
    scan: (code) => authed(() => api.post(IdentityPaths.staffScan, { code: normalizeMemberCode(code) }, MemberSummary)),
    recordPurchase: (request) => authed(() => api.post(PointsPaths.staffPurchases, request, PurchaseResult)),
    startCharge: (request) => authed(() => api.post(WalletPaths.staffCharges, request, ChargeSchema)),
    charge: (id) => authed(() => api.get(WalletPaths.staffCharge(encodeURIComponent(id)), ChargeSchema)),
    cancelCharge: (id) =>
      authed(() => api.post(WalletPaths.staffChargeCancel(encodeURIComponent(id)), {}, ChargeSchema)),
    lookupCoupon: (code) => authed(() => api.post(CouponPaths.staffLookup, { code }, StaffCouponView)),
    verifyCoupon: (request) => authed(() => api.post(CouponPaths.staffVerify, request, VerifyCouponResult)),
    quoteCoupons: (request) => authed(() => api.post(CouponPaths.staffQuote, request, CouponQuote)),
    memberCoupons: (memberId) =>
      authed(() => api.get(CouponPaths.staffMemberCoupons(encodeURIComponent(memberId)), StaffMemberCoupons)),
    logout() {
      store.clear();
    },
  };
}

/** Typed codes may come with the spaces the card shows ("1234 5678"); scanned QR payloads pass unchanged. */
export function normalizeMemberCode(input: string): string {
  const trimmed = input.trim();
  return /^[\d\s-]+$/.test(trimmed) ? trimmed.replace(/[\s-]/g, '') : trimmed;
}

export interface ScanProblem {
  message: string;
  /** The code itself was the problem: ask the customer for a fresh one and scan again. */
  rescan: boolean;
}

const CODE_PROBLEMS = new Set([
  'MEMBER_CODE_USED',
  'MEMBER_CODE_EXPIRED',
  'MEMBER_CODE_INVALID',
  'MEMBER_CODE_OTHER_BRAND',
]);

/** What the staff page says when a scan fails. */
export function describeScanError(error: unknown): ScanProblem {
  if (error instanceof ApiError) {
    if (CODE_PROBLEMS.has(error.code)) return { message: error.message, rescan: true };
    if (error.code === 'VALIDATION_FAILED') return { message: '请输入顾客会员卡上的 8 位数字会员码', rescan: true };
    if (error.code === 'NOT_FOUND' || error.code === 'MEMBER_DELETED' || error.code === 'MEMBER_MERGED') {
      return { message: error.message || '未找到该会员', rescan: true };
    }
    return { message: error.message || '识别失败，请稍后重试', rescan: false };
  }
  if (error instanceof Error && error.message) return { message: error.message, rescan: false };
  return { message: '识别失败，请稍后重试', rescan: false };
}
