// The fault run's checks, after the system has settled: the ledger rules of lib/invariants.ts (balances equal their
// entries, nothing negative but a refund reversal's points), then each payment WeChat Pay took credited exactly
// once, each coupon used at most once, each message sent at most once per dedupe key, and every request the client
// saw acknowledged in the books exactly once.
// WeChat's side of the story comes from the sandbox (its paid orders, its sent-message log); ours from the database.
import { type mongo, Types } from 'mongoose';
import { checkLedgerInvariants } from '../src/lib/invariants';
import type { Acknowledged } from './mixedTraffic';

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** What was counted, as `label: n` pairs. */
  counts: Record<string, number>;
  /** A few offending ids or keys, for whoever looks into a failure. */
  examples: string[];
}

interface SandboxNotification {
  id: string;
  eventType: string;
  outTradeNo: string;
  attempts: { status?: number; error?: string }[];
  status: string;
  delivered: boolean;
}

interface SandboxMessage {
  msgid: string;
  openid: string;
  template_id: string;
  data: Record<string, { value: string }>;
}

const EXAMPLES = 5;

function result(name: string, counts: Record<string, number>, failures: string[], failed = failures.length > 0) {
  return { name, ok: !failed, counts, examples: failures.slice(0, EXAMPLES) };
}

async function sandboxJson<T>(sandboxUrl: string, path: string): Promise<T> {
  const res = await fetch(`${sandboxUrl}${path}`);
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** The orders WeChat Pay took money for (each has one TRANSACTION.SUCCESS notification, however often delivered). */
export async function sandboxPayments(sandboxUrl: string): Promise<SandboxNotification[]> {
  const { notifications } = await sandboxJson<{ notifications: SandboxNotification[] }>(
    sandboxUrl,
    '/__control/pay/notifications?event_type=TRANSACTION.SUCCESS',
  );
  return notifications;
}

interface Entry {
  _id: unknown;
  account: string;
  amount: number;
  reason: string;
  idempotencyKey: string;
  refs?: Record<string, string>;
}

/**
 * Ledger entries that match, whether copied to ledger_entries or still in a member's outbox (a server killed
 * between its member update and the copy leaves them there until the member's next post or history view), each
 * counted once.
 */
async function entriesWhere(db: mongo.Db, filter: Record<string, unknown>, keep: (e: Entry) => boolean) {
  const byId = new Map<string, Entry>();
  for (const e of await db.collection('ledger_entries').find(filter).toArray())
    byId.set(String(e._id), e as unknown as Entry);
  for await (const m of db
    .collection('members')
    .find({ 'ledgerOutbox.0': { $exists: true } }, { projection: { ledgerOutbox: 1 } }))
    for (const e of m.ledgerOutbox as Entry[]) if (keep(e)) byId.set(String(e._id), e);
  return [...byId.values()];
}

/** The ledger rules over the whole database (lib/invariants.ts, which restore also runs), one row each. */
async function ledgerRules(db: mongo.Db): Promise<InvariantResult[]> {
  const outboxes = await db.collection('members').countDocuments({ 'ledgerOutbox.0': { $exists: true } } as never);
  return (await checkLedgerInvariants(db)).map((r, i) => ({
    name: r.name,
    ok: r.held,
    counts: {
      checked: r.checked,
      violations: r.violations,
      ...(i === 0 && { 'members with entries not yet copied out of their outbox': outboxes }),
    },
    examples: r.examples.map((e) => JSON.stringify(e)),
  }));
}

async function paymentsCreditedOnce(
  db: mongo.Db,
  paid: SandboxNotification[],
  payerPaid: string[],
): Promise<InvariantResult> {
  const credits = await entriesWhere(
    db,
    { reason: 'top_up', account: 'walletPrincipal' },
    (e) => e.reason === 'top_up' && e.account === 'walletPrincipal',
  );
  const perOrder = new Map<string, number>();
  for (const c of credits) {
    const no = String(c.refs?.outTradeNo ?? '');
    perOrder.set(no, (perOrder.get(no) ?? 0) + 1);
  }
  const paidNos = new Set(paid.map((n) => n.outTradeNo));
  const orders = new Map(
    (
      await db
        .collection('pay_orders')
        .find({ outTradeNo: { $in: [...paidNos] } }, { projection: { outTradeNo: 1, state: 1 } })
        .toArray()
    ).map((o) => [String(o.outTradeNo), String(o.state)]),
  );
  const failures: string[] = [];
  let once = 0;
  let missing = 0;
  let twice = 0;
  let notMarked = 0;
  for (const no of paidNos) {
    const n = perOrder.get(no) ?? 0;
    if (n === 1) once++;
    else if (n === 0) {
      missing++;
      failures.push(`${no}: paid at WeChat Pay, never credited`);
    } else {
      twice++;
      failures.push(`${no}: credited ${n} times`);
    }
    if (orders.get(no) !== 'SUCCESS') {
      notMarked++;
      failures.push(`${no}: our order is ${orders.get(no) ?? 'missing'}`);
    }
  }
  // What the payer was told went through is in WeChat Pay's record too (the record this check trusts).
  const unrecorded = payerPaid.filter((no) => !paidNos.has(no));
  for (const no of unrecorded) failures.push(`${no}: the payer was told it was paid, WeChat Pay has no payment`);
  const unpaid = [...perOrder.keys()].filter((no) => !paidNos.has(no));
  for (const no of unpaid) failures.push(`${no}: credited, but WeChat Pay took no money`);
  const attempts = paid.reduce((sum, n) => sum + n.attempts.length, 0);
  const refused = paid.reduce(
    (sum, n) => sum + n.attempts.filter((a) => !(a.status === 200 || a.status === 204)).length,
    0,
  );
  return result(
    'each paid WeChat Pay order ↔ exactly one wallet credit',
    {
      'paid at WeChat Pay': paidNos.size,
      'payments the payer saw succeed': payerPaid.length,
      'of which unknown to WeChat Pay': unrecorded.length,
      'credited once': once,
      'not credited': missing,
      'credited twice or more': twice,
      'credited without payment': unpaid.length,
      'our order not SUCCESS': notMarked,
      'notification deliveries (incl. duplicates and retries)': attempts,
      'deliveries refused or failed': refused,
      'notifications still being retried': paid.filter((n) => n.status === 'pending').length,
    },
    failures,
  );
}

async function couponsUsedOnce(db: mongo.Db, acked: Acknowledged, refusals: number): Promise<InvariantResult> {
  const redemptions = await db
    .collection('audit_log')
    .aggregate<{ _id: unknown; n: number }>([
      { $match: { action: 'coupon.verify' } },
      { $group: { _id: '$details.couponId', n: { $sum: 1 } } },
    ])
    .toArray();
  const failures = redemptions.filter((r) => r.n > 1).map((r) => `coupon ${String(r._id)}: ${r.n} redemption records`);
  const keysPerCode = new Map<string, Set<string>>();
  for (const v of acked.verifies) {
    const keys = keysPerCode.get(v.code) ?? new Set<string>();
    keys.add(`${v.staffId}:${v.key}`);
    keysPerCode.set(v.code, keys);
  }
  const acknowledgedTwice = [...keysPerCode].filter(([, keys]) => keys.size > 1);
  for (const [code, keys] of acknowledgedTwice)
    failures.push(`coupon ${code}: verified for ${keys.size} different keys`);
  const used = await db.collection('coupons').countDocuments({ status: 'used', usedKey: { $ne: null } });
  return result(
    'each coupon used at most once',
    {
      'coupons verified (used)': used,
      'redemption records': redemptions.reduce((sum, r) => sum + r.n, 0),
      'coupons with 2+ redemption records': redemptions.filter((r) => r.n > 1).length,
      'coupons acknowledged to 2+ tills': acknowledgedTwice.length,
      'second tills refused (409)': refusals,
    },
    failures,
  );
}

const dataKey = (data: Record<string, string>) =>
  JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));

async function messagesAtMostOnce(db: mongo.Db, sandboxUrl: string): Promise<InvariantResult> {
  const outbox = await db
    .collection('message_outbox')
    .find({}, { projection: { dedupeKey: 1, memberId: 1, templateId: 1, data: 1, status: 1, msgid: 1 } })
    .toArray();
  const { messages } = await sandboxJson<{ messages: SandboxMessage[] }>(sandboxUrl, '/__control/messages');
  const memberIds = [...new Set(outbox.map((r) => String(r.memberId)))];
  const openidOf = new Map<string, string>();
  for (let i = 0; i < memberIds.length; i += 1000) {
    const rows = await db
      .collection('members')
      .find(
        { _id: { $in: memberIds.slice(i, i + 1000).map((id) => new Types.ObjectId(id)) } },
        { projection: { wechat: 1 } },
      )
      .toArray();
    for (const m of rows) openidOf.set(String(m._id), (m.wechat as { openid: string }[])[0]?.openid ?? '');
  }
  // A message is identified by recipient, template and content: several rows may look alike, and WeChat's log
  // must then hold no more of them than there are rows.
  const rowsBySignature = new Map<string, number>();
  const keys = new Map<string, number>();
  const byStatus: Record<string, number> = {};
  for (const r of outbox) {
    const sig = `${openidOf.get(String(r.memberId))}|${r.templateId}|${dataKey(r.data as Record<string, string>)}`;
    rowsBySignature.set(sig, (rowsBySignature.get(sig) ?? 0) + 1);
    keys.set(String(r.dedupeKey), (keys.get(String(r.dedupeKey)) ?? 0) + 1);
    byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
  }
  const sentBySignature = new Map<string, number>();
  for (const m of messages) {
    const data = Object.fromEntries(Object.entries(m.data).map(([k, v]) => [k, v.value]));
    const sig = `${m.openid}|${m.template_id}|${dataKey(data)}`;
    sentBySignature.set(sig, (sentBySignature.get(sig) ?? 0) + 1);
  }
  const failures: string[] = [];
  for (const [key, n] of keys) if (n > 1) failures.push(`dedupe key ${key}: ${n} outbox rows`);
  let sentTwice = 0;
  let withoutRow = 0;
  for (const [sig, n] of sentBySignature) {
    const rows = rowsBySignature.get(sig) ?? 0;
    if (rows === 0) {
      withoutRow += n;
      failures.push(`sent without an outbox row: ${sig.slice(0, 120)}`);
    } else if (n > rows) {
      sentTwice += n - rows;
      failures.push(`sent ${n} times for ${rows} outbox row(s): ${sig.slice(0, 120)}`);
    }
  }
  const msgids = new Set(messages.map((m) => m.msgid));
  const sentRows = outbox.filter((r) => r.status === 'sent');
  const sentNotLogged = sentRows.filter((r) => !msgids.has(String(r.msgid))).length;
  if (sentNotLogged > 0) failures.push(`${sentNotLogged} outbox rows marked sent that WeChat has no record of`);
  return result(
    'each message sent at most once per dedupe key (outbox vs WeChat)',
    {
      'outbox rows': outbox.length,
      ...Object.fromEntries(Object.entries(byStatus).map(([s, n]) => [`outbox ${s}`, n])),
      'messages in WeChat log': messages.length,
      'sent more than once': sentTwice,
      'sent without an outbox row': withoutRow,
      'marked sent, unknown to WeChat': sentNotLogged,
    },
    failures,
  );
}

async function acknowledgedOnce(db: mongo.Db, acked: Acknowledged): Promise<InvariantResult> {
  const failures: string[] = [];
  const counts: Record<string, number> = {};

  // Purchases: one order per till key, the one the client was told about, finished, its points posted once.
  const orders = await db
    .collection('orders')
    .find({ source: 'till', externalId: { $in: acked.purchases.map((p) => `${p.staffId}:${p.key}`) } })
    .toArray();
  const ordersByKey = new Map<string, typeof orders>();
  for (const o of orders) ordersByKey.set(String(o.externalId), [...(ordersByKey.get(String(o.externalId)) ?? []), o]);
  const wanted = new Set(acked.purchases.map((p) => `order:${p.orderId}:points`));
  const pointEntries = new Map<string, number>();
  for (const e of await entriesWhere(db, { idempotencyKey: { $in: [...wanted] } }, (e) => wanted.has(e.idempotencyKey)))
    pointEntries.set(e.idempotencyKey, (pointEntries.get(e.idempotencyKey) ?? 0) + 1);
  let purchasesOk = 0;
  const seenOrders = new Set<string>();
  for (const p of acked.purchases) {
    const found = ordersByKey.get(`${p.staffId}:${p.key}`) ?? [];
    const order = found[0];
    const problems: string[] = [];
    if (found.length !== 1) problems.push(`${found.length} orders`);
    else if (String(order?._id) !== p.orderId) problems.push(`acknowledged ${p.orderId}, stored ${String(order?._id)}`);
    else if (order?.status === 'pending') problems.push('left pending');
    const posted = pointEntries.get(`order:${p.orderId}:points`) ?? 0;
    if (p.pointsEarned > 0 && posted !== 1) problems.push(`points posted ${posted} times`);
    if (problems.length) failures.push(`purchase ${p.key}: ${problems.join(', ')}`);
    else if (!seenOrders.has(p.orderId)) purchasesOk++;
    seenOrders.add(p.orderId);
  }
  counts['purchases acknowledged'] = acked.purchases.length;
  counts['purchases reflected once'] = purchasesOk;

  // Coupon verifications: the coupon is used, under the key of the till that was told so.
  const coupons = new Map(
    (
      await db
        .collection('coupons')
        .find({ code: { $in: acked.verifies.map((v) => v.code) } }, { projection: { code: 1, status: 1, usedKey: 1 } })
        .toArray()
    ).map((c) => [String(c.code), c]),
  );
  let verifiesOk = 0;
  for (const v of acked.verifies) {
    const c = coupons.get(v.code);
    if (c?.status === 'used' && c.usedKey === `${v.staffId}:${v.key}`) verifiesOk++;
    else failures.push(`verify ${v.code}: coupon ${c?.status ?? 'missing'} under key ${String(c?.usedKey)}`);
  }
  counts['coupon verifications acknowledged'] = acked.verifies.length;
  counts['coupon verifications reflected once'] = verifiesOk;

  // Top-ups: one row per (member, client key), the one the client was told about.
  const topUps = await db
    .collection('top_ups')
    .find({ clientKey: { $in: acked.topUps.map((t) => t.key) } }, { projection: { memberId: 1, clientKey: 1 } })
    .toArray();
  const topUpsByKey = new Map<string, string[]>();
  for (const t of topUps) {
    const k = `${String(t.memberId)}:${String(t.clientKey)}`;
    topUpsByKey.set(k, [...(topUpsByKey.get(k) ?? []), String(t._id)]);
  }
  let topUpsOk = 0;
  for (const t of acked.topUps) {
    const ids = topUpsByKey.get(`${t.memberId}:${t.key}`) ?? [];
    if (ids.length === 1 && ids[0] === t.topUpId) topUpsOk++;
    else failures.push(`top-up ${t.key}: stored ${ids.join(',') || 'none'}, acknowledged ${t.topUpId}`);
  }
  counts['top-ups acknowledged'] = acked.topUps.length;
  counts['top-ups reflected once'] = topUpsOk;

  // Confirmed as paid: credited exactly once.
  const credits = new Map<string, number>();
  const confirmed = new Set(acked.credits.map((c) => c.topUpId));
  for (const e of await entriesWhere(
    db,
    { reason: 'top_up', account: 'walletPrincipal', 'refs.topUpId': { $in: [...confirmed] } },
    (e) => e.reason === 'top_up' && e.account === 'walletPrincipal' && confirmed.has(String(e.refs?.topUpId)),
  ))
    credits.set(String(e.refs?.topUpId), (credits.get(String(e.refs?.topUpId)) ?? 0) + 1);
  let creditsOk = 0;
  for (const c of acked.credits) {
    const n = credits.get(c.topUpId) ?? 0;
    if (n === 1) creditsOk++;
    else failures.push(`top-up ${c.topUpId} confirmed paid: ${n} credits`);
  }
  counts['top-ups confirmed paid'] = acked.credits.length;
  counts['confirmed top-ups credited once'] = creditsOk;
  return result('every acknowledged value-moving request reflected exactly once', counts, failures);
}

export async function checkInvariants(input: {
  db: mongo.Db;
  sandboxUrl: string;
  acked: Acknowledged;
  expectedRefusals: number;
}): Promise<InvariantResult[]> {
  const { db, sandboxUrl, acked } = input;
  const paid = await sandboxPayments(sandboxUrl);
  return [
    ...(await ledgerRules(db)),
    await paymentsCreditedOnce(db, paid, acked.payments),
    await couponsUsedOnce(db, acked, input.expectedRefusals),
    await messagesAtMostOnce(db, sandboxUrl),
    await acknowledgedOnce(db, acked),
  ];
}
