// What the mixed-traffic runs (load.ts, faults.ts) set up on top of the seeded members: a store with its tills
// (staff accounts), a top-up package, gift coupons to verify at the till, tokens for the members who show up, and
// for some of them consent to subscription messages. Written through the services, as the hub itself would.
import { writeFileSync } from 'node:fs';
import { CouponTemplateInput } from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../src/deps';
import { messageModels } from '../src/modules/messages/model';
import { quotaId } from '../src/modules/messages/service';
import type { TrafficFixtures } from './mixedTraffic';

/** The seeded members' WeChat app (harness.seedMembers): their openid there is their index. */
export const BENCH_APPID = 'bench';

export async function prepareTraffic(
  deps: AppDeps,
  opts: { activeMembers: number; coupons: number; tills: number },
): Promise<TrafficFixtures> {
  const members = await deps.conn
    .collection('members')
    .find({ status: 'active' }, { projection: { _id: 1, wechat: 1 } })
    .sort({ _id: 1 })
    .limit(opts.activeMembers)
    .toArray();
  const store = await deps.stores.create({ name: '压测门店', code: 'LOAD', address: '' });
  const staff = [];
  for (let i = 0; i < opts.tills; i++) {
    const s = await deps.staff.create({
      storeId: store._id.toHexString(),
      name: `收银${i + 1}`,
      username: `load-till-${i + 1}`,
      password: 'load-till-password',
      role: 'staff',
    });
    const id = s._id.toHexString();
    staff.push({ id, token: (await deps.tokens.issue({ kind: 'staff', id })).token });
  }
  const pkg = await deps.wallet.createPackage({
    name: '充100送10',
    payFen: 10_000,
    bonusFen: 1_000,
    validFrom: null,
    validUntil: null,
    perMemberLimit: null,
    active: true,
    sort: 0,
  });
  const template = await deps.coupons.createTemplate(
    CouponTemplateInput.parse({
      title: '到店兑换饮品',
      effect: { kind: 'gift', giftName: '招牌奶茶' },
      validity: { type: 'relative', days: 30 },
    }),
  );
  const couponCodes: string[] = [];
  for (let start = 0; start < opts.coupons; start += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, opts.coupons - start) }, (_, k) => {
        const i = start + k;
        const holder = members[(i * 7919) % members.length];
        return deps.coupons.issue(
          {
            templateId: template._id,
            memberId: holder?._id as Types.ObjectId,
            source: 'push',
            key: `load-gift:${i}`,
            enforceSupply: false,
          },
          template,
        );
      }),
    );
    couponCodes.push(...batch.map((r) => r.coupon.code));
  }
  const tokens = [];
  for (const m of members) {
    const id = m._id.toHexString();
    tokens.push({
      id,
      openid: (m.wechat as { appid: string; openid: string }[])[0]?.openid ?? '',
      token: (await deps.tokens.issue({ kind: 'member', id })).token,
    });
  }
  return { members: tokens, staff, couponCodes, packageId: pkg._id.toHexString() };
}

/**
 * Some members accept the points and top-up messages (quota 5 each, in the hub and at the sandbox, which needs to
 * have seen the openid log in): the sender then really sends, and the sandbox's log can be compared with the outbox.
 */
export async function grantMessageConsent(
  deps: AppDeps,
  sandboxUrl: string,
  members: TrafficFixtures['members'],
): Promise<string[]> {
  const templateIds = [deps.messages.templateIdOf('points_earned'), deps.messages.templateIdOf('top_up_success')];
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sandboxUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  };
  for (let i = 0; i < members.length; i += 50) {
    await Promise.all(
      members.slice(i, i + 50).map(async (m) => {
        await post('/__control/login-codes', { appid: BENCH_APPID, openid: m.openid });
        await post('/__control/subscriptions', {
          appid: BENCH_APPID,
          openid: m.openid,
          template_ids: templateIds,
          count: 5,
        });
      }),
    );
  }
  const at = new Date(deps.now());
  await messageModels(deps.conn).Quotas.insertMany(
    members.flatMap((m) =>
      templateIds.map((templateId) => {
        const memberId = new Types.ObjectId(m.id);
        return { _id: quotaId(memberId, templateId), memberId, templateId, quota: 5, updatedAt: at };
      }),
    ),
  );
  return templateIds;
}

export function writeFixtures(file: string, fixtures: TrafficFixtures): void {
  writeFileSync(file, JSON.stringify(fixtures));
}
