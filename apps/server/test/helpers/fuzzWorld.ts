// The world the fuzz test runs in: an owner, two stores, a cashier and a manager, two members with points, growth,
// stored value, coupons and an order, and a POS key; the real ids and codes it holds (so near-valid requests reach
// real records); a snapshot of every value the hub keeps (to prove a refused request moved none); and repairs for
// the principals a successful near-valid request may take away (a deleted account, a merged member, a disabled
// cashier), so the routes after it are still reached with working credentials.
import { createHmac, randomBytes } from 'node:crypto';
import {
  CouponPaths,
  IdentityPaths,
  ImportPaths,
  openApiStringToSign,
  PointsPaths,
  WalletPaths,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { JOBS } from '../../src/jobs/scheduler';
import { rotateStoreKey } from '../../src/modules/openapi/signature';
import { bindPhone, createStaff, createStore, memberCode, memberLogin, ownerToken } from './factories';
import { request } from './http';
import type { TestHub } from './testHub';

export const PRINCIPALS = ['anonymous', 'member', 'otherMember', 'staff', 'manager', 'owner', 'pos'] as const;
export type Principal = (typeof PRINCIPALS)[number];
type TokenPrincipal = Exclude<Principal, 'anonymous' | 'pos'>;

interface StaffAccount {
  id: string;
  token: string;
  role: 'staff' | 'manager';
}

export interface FuzzWorld {
  hub: TestHub;
  owner: string;
  store: { id: string; code: string };
  otherStore: { id: string; code: string };
  members: Record<'member' | 'otherMember', { id: string; token: string }>;
  staff: Record<'staff' | 'manager', StaffAccount>;
  /** The claimable coupon template and the top-up package every member is furnished from. */
  fixtures: { templateId: string; packageId: string };
  posKey: string;
}

function db(hub: TestHub) {
  const d = hub.deps.conn.db;
  if (!d) throw new Error('not connected');
  return d;
}

let seq = 0;
const nextName = (prefix: string) => `${prefix}-${++seq}`;

async function ok<T>(what: string, pending: Promise<{ status: number; body: T }>): Promise<T> {
  const res = await pending;
  if (res.status >= 300) throw new Error(`${what} failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Points, growth and stored value through the ledger, as purchases and top-ups would leave them. */
async function fund(hub: TestHub, memberId: string): Promise<void> {
  const id = new Types.ObjectId(memberId);
  const post = (
    account: 'points' | 'growth' | 'walletPrincipal' | 'walletBonus',
    amount: number,
    reason: 'adjustment' | 'top_up',
  ) =>
    hub.deps.ledger.post({ memberId: id, account, amount, reason, idempotencyKey: `fuzz-seed-${account}-${memberId}` });
  await post('points', 50_000, 'adjustment');
  await post('growth', 5_000, 'adjustment');
  await post('walletPrincipal', 100_000, 'top_up');
  await post('walletBonus', 10_000, 'top_up');
}

async function newMember(world: FuzzWorld, phone?: string): Promise<{ id: string; token: string }> {
  const m = await memberLogin(world.hub, nextName('fuzz-member'));
  if (phone) await bindPhone(world.hub, m.token, phone);
  await fund(world.hub, m.memberId);
  const member = { id: m.memberId, token: m.token };
  await furnish(world, member);
  return member;
}

async function newStaff(world: Pick<FuzzWorld, 'hub' | 'owner' | 'store'>, role: 'staff' | 'manager') {
  const s = await createStaff(world.hub, world.owner, world.store.id, nextName(`fuzz-${role}`), role);
  return { id: s.staffId, token: s.token, role };
}

export async function seedWorld(hub: TestHub): Promise<FuzzWorld> {
  const owner = await ownerToken(hub);
  const store = { id: await createStore(hub, owner, 'FZ1'), code: 'FZ1' };
  const otherStore = { id: await createStore(hub, owner, 'FZ2'), code: 'FZ2' };
  const base = { hub, owner, store };
  const template = await ok<{ id: string }>(
    'coupon template',
    request(hub.url, 'POST', CouponPaths.adminTemplates, {
      token: owner,
      json: {
        title: '满减券',
        effect: { kind: 'cash_off', valueFen: 500 },
        validity: { type: 'relative', days: 30 },
        claimable: true,
        perMemberLimit: 50,
      },
    }),
  );
  const pkg = await ok<{ id: string }>(
    'package',
    request(hub.url, 'POST', WalletPaths.adminPackages, {
      token: owner,
      json: { name: '充100送10', payFen: 10_000, bonusFen: 1_000 },
    }),
  );
  const staff = { staff: await newStaff(base, 'staff'), manager: await newStaff(base, 'manager') };
  const world: FuzzWorld = {
    ...base,
    otherStore,
    staff,
    members: { member: { id: '', token: '' }, otherMember: { id: '', token: '' } },
    fixtures: { templateId: template.id, packageId: pkg.id },
    posKey: '',
  };
  world.members.member = await newMember(world, '13800000001');
  world.members.otherMember = await newMember(world, '13800000002');
  await rotatePosKey(world);

  // A tag, a segment and an uploaded import: more real ids to aim at.
  await ok(
    'tag',
    request(hub.url, 'POST', '/api/v1/admin/tags', { token: owner, json: { name: '常客', kind: 'manual' } }),
  );
  await ok(
    'segment',
    request(hub.url, 'POST', '/api/v1/admin/segments', { token: owner, json: { name: '全部会员', definition: {} } }),
  );
  await ok(
    'import upload',
    request(hub.url, 'POST', ImportPaths.uploads, {
      token: owner,
      raw: '手机号,姓名\n13900000001,张三\n13900000002,李四\n',
      headers: { 'content-type': 'text/csv', 'x-file-name': 'fuzz.csv' },
    }),
  );
  return world;
}

/** What a cashier does first: scan the member's code (purchases and charges need a recent scan). */
async function scan(world: FuzzWorld, cashier: string, memberToken: string): Promise<void> {
  const code = (await memberCode(world.hub, memberToken)).numeric;
  await ok('scan', request(world.hub.url, 'POST', IdentityPaths.staffScan, { token: cashier, json: { code } }));
}

/** Scanned at the till by both staff accounts, an order, two claimed coupons, a paid top-up, an invite token. */
async function furnish(world: FuzzWorld, member: { id: string; token: string }): Promise<void> {
  const { hub } = world;
  for (const cashier of Object.values(world.staff)) await scan(world, cashier.token, member.token);
  await ok(
    'purchase',
    request(hub.url, 'POST', PointsPaths.staffPurchases, {
      token: world.staff.staff.token,
      json: { memberId: member.id, amountFen: 12_800, idempotencyKey: `fuzz-seed-purchase-${member.id}` },
    }),
  );
  for (let i = 0; i < 2; i++)
    await ok(
      'claim',
      request(hub.url, 'POST', CouponPaths.claims, {
        token: member.token,
        json: { templateId: world.fixtures.templateId, idempotencyKey: `fuzz-seed-claim-${member.id}-${i}` },
      }),
    );
  const topUp = await ok<{ topUp: { outTradeNo: string } }>(
    'top-up',
    request(hub.url, 'POST', WalletPaths.myTopUps, {
      token: member.token,
      json: { packageId: world.fixtures.packageId, idempotencyKey: `fuzz-seed-top-up-${member.id}` },
    }),
  );
  hub.sandbox?.pay(topUp.topUp.outTradeNo);
  await settleNotifications(hub);
  await ok('referral', request(hub.url, 'GET', CouponPaths.myReferral, { token: member.token }));
}

/** WeChat Pay's news of payments and refunds (a refund ends a moment after it is asked for): delivered now. */
export async function settleNotifications(hub: TestHub): Promise<void> {
  const sandbox = hub.sandbox;
  if (!sandbox) return;
  for (let i = 0; i < 100; i++) {
    await sandbox.flushNotifications();
    if (!sandbox.notifications().some((n) => n.status === 'pending')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('WeChat Pay notifications did not settle');
}

export async function rotatePosKey(world: FuzzWorld): Promise<void> {
  world.posKey = await rotateStoreKey(world.hub.deps.conn, world.hub.deps.vault, new Types.ObjectId(world.store.id));
}

export function tokenOf(world: FuzzWorld, who: TokenPrincipal): string {
  if (who === 'owner') return world.owner;
  if (who === 'member' || who === 'otherMember') return world.members[who].token;
  return world.staff[who].token;
}

/** The headers a store's POS adds: HMAC over method, path, timestamp, nonce and the exact body bytes. */
export function posHeaders(world: FuzzWorld, method: string, rawPath: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(world.hub.clock.now() / 1000));
  const nonce = randomBytes(12).toString('base64url');
  const path = rawPath.split('?')[0] ?? rawPath;
  const signature = createHmac('sha256', world.posKey)
    .update(openApiStringToSign(method, path, timestamp, nonce, body))
    .digest('base64');
  return {
    'x-hub-store': world.store.code,
    'x-hub-timestamp': timestamp,
    'x-hub-nonce': nonce,
    'x-hub-signature': signature,
  };
}

/** After a route's batch: whatever a successful request took away (an account, a role, a store) comes back. */
export async function repairWorld(world: FuzzWorld): Promise<string[]> {
  const { hub } = world;
  const repaired: string[] = [];
  for (const who of ['member', 'otherMember'] as const) {
    const m = await db(hub)
      .collection('members')
      .findOne({ _id: new Types.ObjectId(world.members[who].id) }, { projection: { status: 1 } });
    if (m?.status !== 'active') {
      world.members[who] = await newMember(world);
      repaired.push(`${who} (${m?.status ?? 'gone'})`);
    }
  }
  const store = await db(hub)
    .collection('stores')
    .findOne({ _id: new Types.ObjectId(world.store.id) }, { projection: { active: 1, code: 1 } });
  if (!store?.active || store.code !== world.store.code) {
    await db(hub)
      .collection('stores')
      .updateOne({ _id: new Types.ObjectId(world.store.id) }, { $set: { active: true, code: world.store.code } });
    repaired.push('store');
  }
  for (const who of ['staff', 'manager'] as const) {
    const s = await db(hub)
      .collection('staff')
      .findOne({ _id: new Types.ObjectId(world.staff[who].id) }, { projection: { active: 1, role: 1, storeId: 1 } });
    if (!s?.active || s.role !== world.staff[who].role || String(s.storeId) !== world.store.id) {
      world.staff[who] = await newStaff(world, world.staff[who].role);
      for (const m of Object.values(world.members)) await scan(world, world.staff[who].token, m.token);
      repaired.push(who);
    }
  }
  return repaired;
}

// ---- Real values to aim at ----

const norm = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/(ids|id)$/, '')
    .replace(/s$/, '');

export interface Pools {
  /** ObjectIds of each collection, by normalised collection name (top_ups -> topup). */
  ids: Map<string, string[]>;
  all: string[];
  values: Map<string, string[]>;
}

/** Reads the ids of the collections that `names` (path segments before :id, body fields named ...Id) point at. */
export async function readPools(world: FuzzWorld, names: readonly string[]): Promise<Pools> {
  const d = db(world.hub);
  const ids = new Map<string, string[]>();
  const all: string[] = [];
  const wanted = new Set(names.map(norm).filter(Boolean));
  const matches = (collection: string) =>
    [...wanted].some((n) => collection === n || collection.endsWith(n) || n.endsWith(collection));
  for (const { name } of await d.listCollections({}, { nameOnly: true }).toArray()) {
    if (!matches(norm(name))) continue;
    const docs = await d
      .collection(name)
      .find({}, { projection: { _id: 1 } })
      .limit(8)
      .toArray();
    const hex = docs
      .map((doc) => doc._id)
      .filter((id) => id instanceof Types.ObjectId)
      .map((id) => id.toHexString());
    if (!hex.length) continue;
    // The world's own members and store first: they are the ones with value on them and staff who scanned them.
    const own = { member: Object.values(world.members).map((m) => m.id), store: [world.store.id] }[norm(name)] ?? [];
    ids.set(norm(name), [...new Set([...own, ...hex])]);
    all.push(...hex);
  }
  const strings = async (collection: string, field: string) =>
    (
      await d
        .collection(collection)
        .find({}, { projection: { [field]: 1 } })
        .limit(8)
        .toArray()
    )
      .map((doc) => doc[field])
      .filter((v): v is string => typeof v === 'string');
  const memberNos = await strings('members', 'memberNo');
  const couponCodes = await strings('coupons', 'code');
  const values = new Map<string, string[]>([
    ['memberNo', memberNos],
    ['couponCode', couponCodes],
    ['code', [...couponCodes, world.store.code, world.otherStore.code]],
    ['token', await strings('invite_tokens', 'token')],
    ['name', JOBS.map((j) => j.name)],
    ['phone', ['13800000001', '13800000002', '13900000001']],
    ['externalOrderId', await strings('orders', 'externalId')],
    // A few fixed keys, so some near-valid requests are replays of earlier ones.
    ['idempotencyKey', ['fuzz-replay-key-1', 'fuzz-replay-key-2', `fuzz-seed-purchase-${world.members.member.id}`]],
    ['username', ['owner']],
  ]);
  return { ids, all, values };
}

/** Ids from the collection a name points at: memberId -> members, top-ups (a path segment) -> top_ups. */
export function idsFor(pools: Pools, name: string): string[] {
  const n = norm(name);
  if (!n) return [];
  const exact = pools.ids.get(n);
  if (exact) return exact;
  for (const [collection, ids] of pools.ids) if (collection.endsWith(n) || n.endsWith(collection)) return ids;
  return [];
}

export function hintsFrom(pools: Pools): (field: string) => readonly string[] {
  return (field) => {
    if (!field) return [];
    const direct = pools.values.get(field) ?? pools.values.get(field.replace(/s$/, ''));
    if (direct?.length) return direct;
    if (/codes?$/i.test(field)) return pools.values.get('couponCode') ?? [];
    if (/Ids?$/.test(field)) return idsFor(pools, field).length ? idsFor(pools, field) : pools.all;
    return [];
  };
}

// ---- What must not move ----

/** Every balance, every ledger entry count, every coupon's state, every order's refunds: the value the hub keeps. */
export async function valueSnapshot(world: FuzzWorld): Promise<string> {
  const d = db(world.hub);
  const rows = (collection: string, fields: string[]) =>
    d
      .collection(collection)
      .find({}, { projection: Object.fromEntries(fields.map((f) => [f, 1])) })
      .toArray()
      .then((docs) =>
        docs
          .map((doc) => ({ ...doc, _id: String(doc._id) }) as Record<string, unknown> & { _id: string })
          .sort((a, b) => (a._id < b._id ? -1 : 1)),
      );
  const [members, entries, coupons, orders, topUps, charges] = await Promise.all([
    rows('members', ['points', 'growth', 'walletPrincipalFen', 'walletBonusFen', 'status']),
    d.collection('ledger_entries').countDocuments(),
    rows('coupons', ['status', 'memberId']),
    rows('orders', ['status', 'refundedFen']),
    rows('top_ups', ['status', 'refundedFen']),
    rows('charges', ['status', 'refundedFen']),
  ]);
  // An active member with nothing on it holds no value: the open API enrols the customer it names even when the
  // order is then refused (by design: the POS told us who the customer is), and that moves nothing.
  const holding = members.filter(
    (m) => m.status !== 'active' || m.points || m.growth || m.walletPrincipalFen || m.walletBonusFen,
  );
  return JSON.stringify({ members: holding, entries, coupons, orders, topUps, charges });
}

/** What differs between two snapshots, briefly. */
export function snapshotDiff(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    const x = a[key];
    const y = b[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      const byId = new Map(x.map((row: { _id: string }) => [String(row._id), JSON.stringify(row)]));
      const changed = y.filter((row: { _id: string }) => byId.get(String(row._id)) !== JSON.stringify(row));
      out.push(`${key}: ${x.length} -> ${y.length} rows; changed/new ${JSON.stringify(changed.slice(0, 3))}`);
    } else out.push(`${key}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
  }
  return out.join('; ');
}

/** After a 202 (work started in the background): wait until that work is done and the values stand still. */
export async function settleBackground(world: FuzzWorld): Promise<void> {
  const d = db(world.hub);
  const busy = async () =>
    (await d.collection('job_runs').countDocuments({ status: 'running' })) +
    (await d.collection('coupon_issues').countDocuments({ status: { $in: ['queued', 'running'] } })) +
    (await d.collection('member_imports').countDocuments({ state: 'running' })) +
    (await d.collection('rfm_runs').countDocuments({ status: 'running' })) +
    (await d.collection('tag_runs').countDocuments({ status: 'running' }));
  let last = await valueSnapshot(world);
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 25));
    await settleNotifications(world.hub);
    const now = await valueSnapshot(world);
    if (now === last && (await busy()) === 0) return;
    last = now;
  }
}
