// Every route x every role: allowed (anything but 401/403) or refused with exactly 401 (no principal) / 403.
import {
  ApiPaths,
  BackupPaths,
  CampaignPaths,
  CouponPaths,
  ExportPaths,
  IdentityPaths,
  ImportPaths,
  JobPaths,
  LoyaltyPaths,
  MessagePaths,
  PaidCallPaths,
  PointsPaths,
  SegmentPaths,
  TagPaths,
  WalletPaths,
} from '@member-hub/shared';
import { createStaff, createStore, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

const ROLES = ['anonymous', 'memberA', 'memberB', 'staff1', 'staff2', 'manager1', 'owner'] as const;
type Role = (typeof ROLES)[number];

interface World {
  tokens: Record<Exclude<Role, 'anonymous'>, string>;
  memberAId: string;
  store1: string;
  store2: string;
  staff1Id: string;
  staff2Id: string;
}

interface RouteCase {
  name: string;
  method: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  allowed: Role[];
  /** Destructive for the caller (account deletion): each member cell gets a fresh member. */
  freshMember?: boolean;
}

const members: Role[] = ['memberA', 'memberB'];
/** An id nothing has: the cell only asks who may knock, not what is behind the door. */
const NO_ID = '0123456789abcdef01234567';
const allStaff: Role[] = ['staff1', 'staff2', 'manager1'];

const ROUTES: RouteCase[] = [
  { name: 'my card', method: 'GET', path: () => IdentityPaths.myCard, allowed: members },
  { name: 'my profile', method: 'GET', path: () => IdentityPaths.myProfile, allowed: members },
  {
    name: 'update my profile',
    method: 'PATCH',
    path: () => IdentityPaths.myProfile,
    body: () => ({ nickname: '小王' }),
    allowed: members,
  },
  {
    name: 'bind my phone',
    method: 'POST',
    path: () => IdentityPaths.myPhone,
    body: () => ({ code: 'bogus' }),
    allowed: members,
  },
  { name: 'export my data', method: 'GET', path: () => IdentityPaths.myExport, allowed: members },
  { name: 'delete my account', method: 'DELETE', path: () => IdentityPaths.me, allowed: members, freshMember: true },
  { name: 'staff profile', method: 'GET', path: () => IdentityPaths.staffMe, allowed: allStaff },
  {
    name: 'scan a member code',
    method: 'POST',
    path: () => IdentityPaths.staffScan,
    body: () => ({ code: '00000000' }),
    allowed: allStaff,
  },
  { name: 'list members', method: 'GET', path: () => IdentityPaths.adminMembers, allowed: ['owner'] },
  { name: 'member detail', method: 'GET', path: (w) => IdentityPaths.adminMember(w.memberAId), allowed: ['owner'] },
  {
    name: 'set a locked birthday',
    method: 'PATCH',
    path: (w) => IdentityPaths.adminMemberBirthday(w.memberAId),
    body: () => ({ birthday: '1990-05-01', reason: '顾客出示证件' }),
    allowed: [...allStaff, 'owner'],
  },
  {
    name: 'merge members',
    method: 'POST',
    path: () => IdentityPaths.adminMerges,
    body: (w) => ({ sourceMemberId: w.memberAId, targetMemberId: w.memberAId, reason: '矩阵测试' }),
    allowed: ['owner'],
  },
  { name: 'list stores', method: 'GET', path: () => IdentityPaths.adminStores, allowed: ['manager1', 'owner'] },
  {
    name: 'create a store',
    method: 'POST',
    path: () => IdentityPaths.adminStores,
    body: () => ({ name: '新店', code: 'NEW1' }),
    allowed: ['owner'],
  },
  {
    name: 'update a store',
    method: 'PATCH',
    path: (w) => IdentityPaths.adminStore(w.store1),
    body: () => ({ address: '新地址' }),
    allowed: ['owner'],
  },
  {
    name: 'list staff (own store)',
    method: 'GET',
    path: () => IdentityPaths.adminStaff,
    allowed: ['manager1', 'owner'],
  },
  {
    name: 'list staff of store 2',
    method: 'GET',
    path: (w) => `${IdentityPaths.adminStaff}?storeId=${w.store2}`,
    allowed: ['owner'],
  },
  {
    name: 'add staff to store 1',
    method: 'POST',
    path: () => IdentityPaths.adminStaff,
    body: (w) => ({
      storeId: w.store1,
      name: '新员工',
      username: 'matrix-new-staff',
      password: 'password-123',
      role: 'staff',
    }),
    allowed: ['manager1', 'owner'],
  },
  {
    name: 'add staff to store 2',
    method: 'POST',
    path: () => IdentityPaths.adminStaff,
    body: (w) => ({ storeId: w.store2, name: '新员工', username: 'matrix-new-staff2', password: 'password-123' }),
    allowed: ['owner'],
  },
  {
    name: 'add a manager to store 1',
    method: 'POST',
    path: () => IdentityPaths.adminStaff,
    body: (w) => ({
      storeId: w.store1,
      name: '新店长',
      username: 'matrix-new-manager',
      password: 'password-123',
      role: 'manager',
    }),
    allowed: ['owner'],
  },
  {
    name: 'update staff of store 1',
    method: 'PATCH',
    path: (w) => IdentityPaths.adminStaffMember(w.staff1Id),
    body: () => ({ name: '改名' }),
    allowed: ['manager1', 'owner'],
  },
  {
    name: 'update staff of store 2',
    method: 'PATCH',
    path: (w) => IdentityPaths.adminStaffMember(w.staff2Id),
    body: () => ({ name: '改名' }),
    allowed: ['owner'],
  },
  {
    name: 'invite staff to store 1',
    method: 'POST',
    path: () => IdentityPaths.adminStaffInvites,
    body: (w) => ({ storeId: w.store1 }),
    allowed: ['manager1', 'owner'],
  },
  {
    name: 'invite staff to store 2',
    method: 'POST',
    path: () => IdentityPaths.adminStaffInvites,
    body: (w) => ({ storeId: w.store2 }),
    allowed: ['owner'],
  },
  { name: 'read the audit log', method: 'GET', path: () => IdentityPaths.adminAudit, allowed: ['manager1', 'owner'] },
  { name: 'owner summary', method: 'GET', path: () => ApiPaths.adminSummary, allowed: ['owner'] },
  { name: 'my points', method: 'GET', path: () => PointsPaths.myPoints, allowed: members },
  { name: 'my points history', method: 'GET', path: () => PointsPaths.myPointsHistory, allowed: members },
  { name: 'my tier', method: 'GET', path: () => LoyaltyPaths.myTier, allowed: members },
  { name: 'my tasks', method: 'GET', path: () => LoyaltyPaths.myTasks, allowed: members },
  { name: 'check in', method: 'POST', path: () => LoyaltyPaths.myCheckIn, allowed: members },
  { name: 'mall items', method: 'GET', path: () => LoyaltyPaths.mallItems, allowed: members },
  {
    name: 'record a purchase',
    method: 'POST',
    path: () => PointsPaths.staffPurchases,
    body: (w) => ({ memberId: w.memberAId, amountFen: 100, idempotencyKey: 'matrix-purchase' }),
    allowed: allStaff,
  },
  {
    name: 'refund an order',
    method: 'POST',
    path: () => LoyaltyPaths.staffRefunds('0123456789abcdef01234567'),
    body: () => ({ amountFen: 100, idempotencyKey: 'matrix-refund' }),
    allowed: ['manager1'],
  },
  { name: 'read the rules', method: 'GET', path: () => PointsPaths.rules, allowed: ['owner'] },
  { name: 'points liability', method: 'GET', path: () => LoyaltyPaths.adminLiability, allowed: ['owner'] },
  {
    name: 'adjust points',
    method: 'POST',
    path: (w) => LoyaltyPaths.adminPointsAdjustments(w.memberAId),
    body: () => ({ amount: 1, reason: '矩阵测试', idempotencyKey: 'matrix-adjust' }),
    allowed: ['owner'],
  },
  {
    name: 'grant a tier',
    method: 'POST',
    path: (w) => LoyaltyPaths.adminGrantTier(w.memberAId),
    body: () => ({ tier: '银卡', reason: '矩阵测试' }),
    allowed: ['owner'],
  },
  { name: 'mall catalogue', method: 'GET', path: () => LoyaltyPaths.adminMallItems, allowed: ['owner'] },
  { name: 'top-up packages', method: 'GET', path: () => WalletPaths.packages, allowed: members },
  { name: 'my wallet', method: 'GET', path: () => WalletPaths.myWallet, allowed: members },
  { name: 'my wallet history', method: 'GET', path: () => WalletPaths.myWalletHistory, allowed: members },
  {
    name: 'start a top-up',
    method: 'POST',
    path: () => WalletPaths.myTopUps,
    body: () => ({ packageId: '0123456789abcdef01234567', idempotencyKey: 'matrix-topup' }),
    allowed: members,
  },
  { name: 'my pending till payment', method: 'GET', path: () => WalletPaths.myPendingCharge, allowed: members },
  { name: 'my payment code', method: 'POST', path: () => WalletPaths.myPayCode, allowed: members },
  {
    name: 'take stored value at the till',
    method: 'POST',
    path: () => WalletPaths.staffCharges,
    body: (w) => ({ memberId: w.memberAId, amountFen: 100, idempotencyKey: 'matrix-charge' }),
    allowed: allStaff,
  },
  {
    name: 'refund a till payment',
    method: 'POST',
    path: () => WalletPaths.staffChargeRefunds('0123456789abcdef01234567'),
    body: () => ({ amountFen: 100, idempotencyKey: 'matrix-charge-refund' }),
    allowed: ['manager1', 'owner'],
  },
  { name: 'wallet packages (owner)', method: 'GET', path: () => WalletPaths.adminPackages, allowed: ['owner'] },
  { name: 'wallet liability', method: 'GET', path: () => WalletPaths.adminLiability, allowed: ['owner'] },
  { name: 'payments list', method: 'GET', path: () => WalletPaths.adminPayments, allowed: ['owner'] },
  {
    name: 'refund a top-up (owner)',
    method: 'POST',
    path: () => WalletPaths.adminTopUpRefund('0123456789abcdef01234567'),
    body: () => ({ idempotencyKey: 'matrix-topup-refund' }),
    allowed: ['owner'],
  },
  {
    name: 'reconciliation report',
    method: 'GET',
    path: () => `${WalletPaths.adminReconciliation}?date=2026-11-30`,
    allowed: ['owner'],
  },
  { name: 'my coupons', method: 'GET', path: () => CouponPaths.myCoupons, allowed: members },
  { name: 'a coupon of mine', method: 'GET', path: () => CouponPaths.myCoupon(NO_ID), allowed: members },
  { name: 'the claim centre', method: 'GET', path: () => CouponPaths.claimable, allowed: members },
  {
    name: 'claim a coupon',
    method: 'POST',
    path: () => CouponPaths.claims,
    body: () => ({ templateId: NO_ID, idempotencyKey: 'matrix-claim' }),
    allowed: members,
  },
  {
    name: 'look up a scanned coupon',
    method: 'POST',
    path: () => CouponPaths.staffLookup,
    body: () => ({ code: '123456789012' }),
    allowed: allStaff,
  },
  {
    name: 'verify a gift coupon',
    method: 'POST',
    path: () => CouponPaths.staffVerify,
    body: () => ({ code: '123456789012', idempotencyKey: 'matrix-verify' }),
    allowed: allStaff,
  },
  {
    name: 'quote coupons on a purchase',
    method: 'POST',
    path: () => CouponPaths.staffQuote,
    body: (w) => ({ memberId: w.memberAId, amountFen: 100, couponCodes: ['123456789012'] }),
    allowed: allStaff,
  },
  {
    name: "the scanned member's coupons",
    method: 'GET',
    path: (w) => CouponPaths.staffMemberCoupons(w.memberAId),
    allowed: allStaff,
  },
  { name: 'coupon templates', method: 'GET', path: () => CouponPaths.adminTemplates, allowed: ['owner'] },
  {
    name: 'create a coupon template',
    method: 'POST',
    path: () => CouponPaths.adminTemplates,
    body: () => ({ title: 'x', effect: { kind: 'cash_off', valueFen: 100 }, validity: { type: 'relative', days: 1 } }),
    allowed: ['owner'],
  },
  {
    name: 'edit a coupon template',
    method: 'PATCH',
    path: () => CouponPaths.adminTemplate(NO_ID),
    body: () => ({ title: 'y' }),
    allowed: ['owner'],
  },
  { name: 'coupon pushes', method: 'GET', path: () => CouponPaths.adminIssues, allowed: ['owner'] },
  {
    name: 'push a coupon',
    method: 'POST',
    path: () => CouponPaths.adminIssues,
    body: () => ({
      templateId: NO_ID,
      target: { kind: 'members', memberNos: ['10000001'] },
      idempotencyKey: 'matrix-push',
    }),
    allowed: ['owner'],
  },
  { name: 'a coupon push', method: 'GET', path: () => CouponPaths.adminIssue(NO_ID), allowed: ['owner'] },
  { name: 'coupon gift settings', method: 'GET', path: () => CouponPaths.adminSettings, allowed: ['owner'] },
  { name: 'my referral', method: 'GET', path: () => CouponPaths.myReferral, allowed: members },
  { name: 'my invite code image', method: 'GET', path: () => CouponPaths.myReferralCode, allowed: members },
  {
    name: 'accept an invite',
    method: 'POST',
    path: () => CouponPaths.acceptReferral,
    body: () => ({ token: 'NOPE2345' }),
    allowed: members,
  },
  {
    name: 'an invite landing (public)',
    method: 'GET',
    path: () => CouponPaths.inviteLanding('NOPE2345'),
    allowed: [...ROLES],
  },
  { name: 'referral chains', method: 'GET', path: () => CouponPaths.adminReferrals, allowed: ['owner'] },
  { name: 'referral overview', method: 'GET', path: () => CouponPaths.adminReferralOverview, allowed: ['owner'] },
  { name: 'tags', method: 'GET', path: () => TagPaths.tags, allowed: ['owner'] },
  {
    name: 'create a tag',
    method: 'POST',
    path: () => TagPaths.tags,
    body: () => ({ name: '矩阵标签', kind: 'manual' }),
    allowed: ['owner'],
  },
  { name: 'a tag', method: 'GET', path: () => TagPaths.tag(NO_ID), allowed: ['owner'] },
  {
    name: 'edit a tag',
    method: 'PATCH',
    path: () => TagPaths.tag(NO_ID),
    body: () => ({ name: 'y' }),
    allowed: ['owner'],
  },
  { name: 'delete a tag', method: 'DELETE', path: () => TagPaths.tag(NO_ID), allowed: ['owner'] },
  {
    name: 'tag members in bulk',
    method: 'POST',
    path: () => TagPaths.tagMembers(NO_ID),
    body: () => ({ action: 'add', target: { kind: 'members', memberNos: ['10000001'] } }),
    allowed: ['owner'],
  },
  {
    name: 'evaluate the rule tags',
    method: 'POST',
    path: () => TagPaths.evaluate,
    body: () => ({}),
    allowed: ['owner'],
  },
  { name: 'tag evaluation status', method: 'GET', path: () => TagPaths.evaluation, allowed: ['owner'] },
  { name: 'segments', method: 'GET', path: () => SegmentPaths.segments, allowed: ['owner'] },
  {
    name: 'create a segment',
    method: 'POST',
    path: () => SegmentPaths.segments,
    body: () => ({ name: '矩阵分群', definition: {} }),
    allowed: ['owner'],
  },
  { name: 'a segment', method: 'GET', path: () => SegmentPaths.segment(NO_ID), allowed: ['owner'] },
  {
    name: 'edit a segment',
    method: 'PATCH',
    path: () => SegmentPaths.segment(NO_ID),
    body: () => ({ name: 'y' }),
    allowed: ['owner'],
  },
  { name: 'delete a segment', method: 'DELETE', path: () => SegmentPaths.segment(NO_ID), allowed: ['owner'] },
  {
    name: 'preview a segment',
    method: 'POST',
    path: () => SegmentPaths.preview,
    body: () => ({ definition: {} }),
    allowed: ['owner'],
  },
  { name: 'count a segment', method: 'POST', path: () => SegmentPaths.count(NO_ID), allowed: ['owner'] },
  { name: 'member imports', method: 'GET', path: () => ImportPaths.uploads, allowed: ['owner'] },
  { name: 'upload a member import', method: 'POST', path: () => ImportPaths.uploads, allowed: ['owner'] },
  { name: 'a member import', method: 'GET', path: () => ImportPaths.one(NO_ID), allowed: ['owner'] },
  {
    name: 'map an import',
    method: 'PUT',
    path: () => ImportPaths.mapping(NO_ID),
    body: () => ({ columns: { phone: 0 } }),
    allowed: ['owner'],
  },
  { name: 'an import report', method: 'GET', path: () => ImportPaths.report(NO_ID), allowed: ['owner'] },
  { name: 'an import report (CSV)', method: 'GET', path: () => ImportPaths.reportCsv(NO_ID), allowed: ['owner'] },
  { name: 'dry-run an import', method: 'POST', path: () => ImportPaths.dryRun(NO_ID), allowed: ['owner'] },
  { name: 'start an import', method: 'POST', path: () => ImportPaths.start(NO_ID), allowed: ['owner'] },
  { name: 'export members', method: 'GET', path: () => ExportPaths.members, allowed: ['owner'] },
  // The first owner holds the export-personal-data permission (see exports.test.ts for one who does not).
  {
    name: 'export members with full phones',
    method: 'GET',
    path: () => `${ExportPaths.members}?phone=full`,
    allowed: ['owner'],
  },
  { name: 'export the points ledger', method: 'GET', path: () => ExportPaths.ledger, allowed: ['owner'] },
  { name: 'export the RFM list', method: 'GET', path: () => ExportPaths.rfm, allowed: ['owner'] },
  { name: 'export the churn list', method: 'GET', path: () => ExportPaths.churn, allowed: ['owner'] },
  { name: 'download a full backup', method: 'GET', path: () => BackupPaths.download, allowed: ['owner'] },
  { name: 'paid WeChat calls', method: 'GET', path: () => PaidCallPaths.summary, allowed: ['owner'] },
  { name: 'my message preferences', method: 'GET', path: () => MessagePaths.myPreferences, allowed: members },
  {
    name: 'mute message kinds',
    method: 'PUT',
    path: () => MessagePaths.myPreferences,
    body: () => ({ muted: [] }),
    allowed: members,
  },
  {
    name: 'record subscription consent',
    method: 'POST',
    path: () => MessagePaths.myConsents,
    body: () => ({ scene: 'other', decisions: { unknown: 'reject' } }),
    allowed: members,
  },
  { name: 'the message outbox', method: 'GET', path: () => MessagePaths.adminOutbox, allowed: ['owner'] },
  { name: 'background jobs', method: 'GET', path: () => JobPaths.jobs, allowed: ['owner'] },
  { name: "a job's runs", method: 'GET', path: () => JobPaths.runs('expireCoupons'), allowed: ['owner'] },
  { name: 'run a job now', method: 'POST', path: () => JobPaths.runNow('expireCoupons'), allowed: ['owner'] },
  { name: 'campaigns', method: 'GET', path: () => CampaignPaths.campaigns, allowed: ['owner'] },
  {
    name: 'create a campaign',
    method: 'POST',
    path: () => CampaignPaths.campaigns,
    body: () => ({}),
    allowed: ['owner'],
  },
  {
    name: 'dry-run a campaign',
    method: 'POST',
    path: () => CampaignPaths.dryRun,
    body: () => ({}),
    allowed: ['owner'],
  },
  { name: 'a campaign', method: 'GET', path: () => CampaignPaths.one(NO_ID), allowed: ['owner'] },
  { name: 'start a campaign', method: 'POST', path: () => CampaignPaths.start(NO_ID), allowed: ['owner'] },
  { name: 'cancel a campaign', method: 'POST', path: () => CampaignPaths.cancel(NO_ID), allowed: ['owner'] },
  { name: 'campaign results', method: 'GET', path: () => CampaignPaths.results(NO_ID), allowed: ['owner'] },
];

let hub: TestHub;
let world: World;
let freshCount = 0;

beforeAll(async () => {
  hub = await startTestHub();
  const owner = await ownerToken(hub);
  const store1 = await createStore(hub, owner, 'MX1');
  const store2 = await createStore(hub, owner, 'MX2');
  const memberA = await memberLogin(hub, 'matrix-a');
  const memberB = await memberLogin(hub, 'matrix-b');
  const staff1 = await createStaff(hub, owner, store1, 'matrix-staff1');
  const staff2 = await createStaff(hub, owner, store2, 'matrix-staff2');
  const manager1 = await createStaff(hub, owner, store1, 'matrix-manager1', 'manager');
  world = {
    tokens: {
      memberA: memberA.token,
      memberB: memberB.token,
      staff1: staff1.token,
      staff2: staff2.token,
      manager1: manager1.token,
      owner,
    },
    memberAId: memberA.memberId,
    store1,
    store2,
    staff1Id: staff1.staffId,
    staff2Id: staff2.staffId,
  };
});
afterAll(async () => {
  await hub.stop();
});

const cells = ROUTES.flatMap((route) => ROLES.map((role) => [route.name, role, route] as const));

describe('authorisation matrix', () => {
  it.each(cells)('%s as %s', async (_name, role, route) => {
    let token: string | undefined;
    if (role !== 'anonymous') {
      token =
        route.freshMember && members.includes(role)
          ? (await memberLogin(hub, `matrix-fresh-${++freshCount}`)).token
          : world.tokens[role];
    }
    const res = await request(hub.url, route.method, route.path(world), { token, json: route.body?.(world) });
    if (route.allowed.includes(role)) {
      // Allowed: the policy let it through; whatever the handler then says, it is never a server error.
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expect({ role, status: res.status }).toEqual({ role, status: role === 'anonymous' ? 401 : 403 });
      expect(res.body.error.code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
  });

  it('a disabled staff account is refused at once, even with an unexpired token', async () => {
    const owner = world.tokens.owner;
    const temp = await createStaff(hub, owner, world.store1, 'matrix-leaver');
    expect((await request(hub.url, 'GET', IdentityPaths.staffMe, { token: temp.token })).status).toBe(200);
    await request(hub.url, 'PATCH', IdentityPaths.adminStaffMember(temp.staffId), {
      token: owner,
      json: { active: false },
    });
    const res = await request(hub.url, 'GET', IdentityPaths.staffMe, { token: temp.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_DISABLED');
  });
});
