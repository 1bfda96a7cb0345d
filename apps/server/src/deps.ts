// What the routes need, built once per app. Tests build their own with a real engine and the sandbox.
import type { Connection } from 'mongoose';
import type { AppConfig } from './config';
import { MergeMembersFlow } from './flows/mergeMembers';
import { RecordPurchaseFlow } from './flows/recordPurchase';
import { RefundOrderFlow } from './flows/refundOrder';
import { TillChargeFlow } from './flows/tillCharge';
import { PersonalDataVault } from './lib/personalData';
import { MemoryCounterStore, MongoCounterStore, RateLimiter } from './lib/rateLimiter';
import type { Logger } from './logger';
import { AuditService } from './modules/audit/service';
import { TokenService } from './modules/auth/tokens';
import { CampaignService } from './modules/campaigns/service';
import { MemberCodeService } from './modules/cards/service';
import { CouponCampaigns } from './modules/coupons/campaigns';
import { CouponService } from './modules/coupons/service';
import { CouponSettingsService } from './modules/coupons/settings';
import { DashboardService } from './modules/dashboard/service';
import { IdentityService } from './modules/identity/service';
import { LedgerService } from './modules/ledger/service';
import { MallService } from './modules/mall/service';
import { MemberService } from './modules/members/service';
import { MessageSender } from './modules/messages/sender';
import { MessageService } from './modules/messages/service';
import { HubMetrics } from './modules/metrics/metrics';
import { OwnerService } from './modules/owners/service';
import { PaidCallService } from './modules/paidCalls/service';
import { PaymentService } from './modules/payments/service';
import { type WechatPayKeys, WechatPayProvider } from './modules/payments/wechatPay';
import { ReferralService } from './modules/referrals/service';
import { RfmService } from './modules/rfm/service';
import { RulesService } from './modules/rules/service';
import { SegmentService } from './modules/segments/service';
import { StaffService } from './modules/staff/service';
import { StoreService } from './modules/stores/service';
import { TagService } from './modules/tags/service';
import { TaskService } from './modules/tasks/service';
import { TierService } from './modules/tiers/service';
import { WalletService } from './modules/wallet/service';
import { WechatClient } from './wechat/client';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  conn: Connection;
  now: () => number;
  wechat: WechatClient;
  tokens: TokenService;
  vault: PersonalDataVault;
  identity: IdentityService;
  members: MemberService;
  ledger: LedgerService;
  audit: AuditService;
  merge: MergeMembersFlow;
  rules: RulesService;
  tiers: TierService;
  purchases: RecordPurchaseFlow;
  refunds: RefundOrderFlow;
  tasks: TaskService;
  mall: MallService;
  coupons: CouponService;
  couponSettings: CouponSettingsService;
  campaigns: CouponCampaigns;
  referrals: ReferralService;
  dashboard: DashboardService;
  rfm: RfmService;
  tags: TagService;
  segments: SegmentService;
  messages: MessageService;
  messageSender: MessageSender;
  /** Owner campaigns with a control group (coupon pushes are `campaigns`). */
  campaignRuns: CampaignService;
  codes: MemberCodeService;
  stores: StoreService;
  staff: StaffService;
  owners: OwnerService;
  payments: PaymentService;
  wallet: WalletService;
  charges: TillChargeFlow;
  /** This app's Prometheus registry and counters (GET /metrics). */
  metrics: HubMetrics;
  /** Billed WeChat calls per China day (手机号快速验证), for the dashboard. */
  paidCalls: PaidCallService;
  /** Request counters for config rateLimits (middlewares/rateLimit.ts). */
  rateLimiter: RateLimiter;
  /** Where the H5 build's platform layer finds the WeChat sandbox; null when real WeChat is used. */
  sandboxBaseUrl: string | null;
}

function required<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined) throw new Error(`${name} is required`);
  return value;
}

export function buildDeps(input: {
  config: AppConfig;
  logger: Logger;
  conn: Connection;
  wechatBaseUrl: string;
  sandboxBaseUrl: string | null;
  payKeys: WechatPayKeys;
  payBaseUrl: string;
  now?: () => number;
}): AppDeps {
  const { config, conn } = input;
  const now = input.now ?? Date.now;
  const metrics = new HubMetrics(conn, now);
  const wechat = new WechatClient({
    baseUrl: input.wechatBaseUrl,
    appid: required(config.wechat.appid, 'wechat.appid'),
    secret: required(config.wechat.secret, 'wechat.secret'),
    now,
    observe: (api, failure, seconds) => metrics.wechatCall('mini', api, failure, seconds),
  });
  const tokens = new TokenService(
    required(config.auth.sessionSecret, 'auth.sessionSecret'),
    {
      member: config.auth.memberTokenTtlSeconds,
      owner: config.auth.ownerTokenTtlSeconds,
      staff: config.auth.staffTokenTtlSeconds,
    },
    now,
  );
  const vault = new PersonalDataVault(config.personalData);
  const paidCalls = new PaidCallService(
    conn,
    { getuserphonenumber: config.wechat.paidCalls.phoneNumberFen },
    metrics,
    input.logger,
    now,
  );
  const identity = new IdentityService(conn, wechat, vault, paidCalls);
  const ledger = new LedgerService(conn, now, (entries) => metrics.ledgerPosted(entries));
  const audit = new AuditService(conn, now);
  const stores = new StoreService(conn);
  const rules = new RulesService(conn, now);
  const tiers = new TierService(conn, now);
  const coupons = new CouponService(conn, now);
  const couponSettings = new CouponSettingsService(conn, coupons, now);
  const referrals = new ReferralService(conn, coupons, couponSettings, vault, input.logger, now);
  const purchases = new RecordPurchaseFlow(conn, ledger, rules, tiers, coupons, referrals, input.logger, now);
  const refunds = new RefundOrderFlow(
    conn,
    ledger,
    rules,
    [(orderId) => coupons.restoreForRefund(orderId), (orderId) => referrals.onOrderRefunded(orderId)],
    now,
  );
  const payments = new PaymentService(
    conn,
    new WechatPayProvider(input.payKeys, input.payBaseUrl, now, (api, failure, seconds) =>
      metrics.wechatCall('pay', api, failure, seconds),
    ),
    input.logger,
    config.wechatPay.notifyBaseUrl,
    now,
  );
  const wallet = new WalletService(conn, ledger, payments, input.payKeys.appid, now);
  const rfm = new RfmService(conn, now);
  // Segments read tags (names, membership); tags ask segments for a segment's members when tagging in bulk.
  const tags: TagService = new TagService(conn, { rfm }, () => segments, now);
  const segments = new SegmentService(conn, tags, rfm, identity, now);
  const messages = new MessageService(conn, config.messages, now);
  return {
    config,
    logger: input.logger,
    conn,
    now,
    wechat,
    tokens,
    vault,
    identity,
    members: new MemberService(conn, identity, ledger, now),
    ledger,
    audit,
    merge: new MergeMembersFlow(conn, ledger, audit, now),
    rules,
    tiers,
    purchases,
    refunds,
    payments,
    wallet,
    charges: new TillChargeFlow(conn, ledger, rules, purchases, refunds, payments, wallet, now),
    tasks: new TaskService(conn, ledger, rules, now),
    mall: new MallService(conn, ledger, coupons, now),
    coupons,
    couponSettings,
    campaigns: new CouponCampaigns(conn, coupons, segments, input.logger, now),
    referrals,
    dashboard: new DashboardService(conn, now),
    rfm,
    tags,
    segments,
    messages,
    campaignRuns: new CampaignService(conn, segments, coupons, ledger, rules, messages, now),
    messageSender: new MessageSender(conn, wechat, config.messages, config.wechat.appid ?? '', input.logger, now),
    codes: new MemberCodeService(
      conn,
      {
        secret: required(config.memberCode.secret, 'memberCode.secret'),
        windowSeconds: config.memberCode.windowSeconds,
        graceSeconds: config.memberCode.graceSeconds,
        brandId: config.brand.id,
      },
      now,
    ),
    stores,
    staff: new StaffService(conn, stores, config.staffInvite.ttlHours, now),
    owners: new OwnerService(conn),
    rateLimiter: new RateLimiter(
      config.rateLimits.store === 'mongo' ? new MongoCounterStore(conn) : new MemoryCounterStore(now),
      now,
    ),
    metrics,
    paidCalls,
    sandboxBaseUrl: input.sandboxBaseUrl,
  };
}
