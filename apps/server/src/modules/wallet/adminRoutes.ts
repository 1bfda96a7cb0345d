// The owner's stored value: packages, settings, liability, the payments list, refunds and reconciliation; and
// store managers' refunds of their own store's till payments. Every change is audited.
import Router from '@koa/router';
import {
  ChargeRefundRequest,
  ChinaDayText,
  PaymentsQuery,
  TopUpPackageInput,
  TopUpRefundRequest,
  WalletPaths,
  WalletSettings,
} from '@member-hub/shared';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { reconcileDay } from '../../jobs/reconcilePayments';
import { idParam } from '../../lib/params';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { assertCan } from '../auth/policy';
import { memberModel } from '../members/model';
import { type ChargeDoc, type TopUpDoc, walletModels } from './model';
import { chargeRow, presentCharge, presentPackage, presentTopUp, topUpRow } from './presenter';

// A day that exists: 2026-13-45 would become an Invalid Date in the report's query.
const ReconciliationQuery = z.strictObject({ date: ChinaDayText });

export function walletAdminRoutes(deps: AppDeps): Router {
  const router = new Router();
  const manage = authorize('wallet.manage');

  router.get(WalletPaths.adminPackages, manage, async (ctx) => {
    ctx.body = (await deps.wallet.listPackages()).map(presentPackage);
  });
  router.post(WalletPaths.adminPackages, manage, validate(TopUpPackageInput), async (ctx) => {
    const pkg = await deps.wallet.createPackage(inputOf(ctx, TopUpPackageInput));
    await audit(ctx, deps, 'wallet.package.create', { packageId: pkg._id.toHexString(), name: pkg.name });
    ctx.status = 201;
    ctx.body = presentPackage(pkg);
  });
  router.patch('/api/v1/admin/wallet/packages/:id', manage, validate(TopUpPackageInput), async (ctx) => {
    const pkg = await deps.wallet.updatePackage(idParam(ctx.params.id, 'package'), inputOf(ctx, TopUpPackageInput));
    await audit(ctx, deps, 'wallet.package.update', { packageId: pkg._id.toHexString(), name: pkg.name });
    ctx.body = presentPackage(pkg);
  });

  router.get(WalletPaths.adminLiability, manage, async (ctx) => {
    ctx.body = await deps.wallet.liability();
  });
  router.get(WalletPaths.adminSettings, manage, async (ctx) => {
    ctx.body = await deps.wallet.settings();
  });
  router.put(WalletPaths.adminSettings, manage, validate(WalletSettings), async (ctx) => {
    const settings = await deps.wallet.updateSettings(inputOf(ctx, WalletSettings));
    await audit(ctx, deps, 'wallet.settings.update', settings);
    ctx.body = settings;
  });

  router.get(WalletPaths.adminPayments, manage, validate(PaymentsQuery, 'query'), async (ctx) => {
    const { kind, status, cursor, limit } = inputOf(ctx, PaymentsQuery);
    const filter: Record<string, unknown> = {
      ...(status && { status }),
      ...(cursor && { createdAt: { $lt: new Date(cursor) } }),
    };
    const { TopUps, Charges } = walletModels(deps.conn);
    const [topUps, charges] = await Promise.all([
      kind === 'charge'
        ? []
        : TopUps.find(filter)
            .sort({ createdAt: -1 })
            .limit(limit + 1)
            .lean<TopUpDoc[]>(),
      kind === 'top_up'
        ? []
        : Charges.find(filter)
            .sort({ createdAt: -1 })
            .limit(limit + 1)
            .lean<ChargeDoc[]>(),
    ]);
    const rows = [
      ...topUps.map((t) => ({ at: t.createdAt, memberId: t.memberId, row: (no: string) => topUpRow(t, no) })),
      ...charges.map((c) => ({ at: c.createdAt, memberId: c.memberId, row: (no: string) => chargeRow(c, no) })),
    ]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit + 1);
    const page = rows.slice(0, limit);
    const members = await memberModel(deps.conn)
      .find({ _id: { $in: page.map((r) => r.memberId) } }, { memberNo: 1 })
      .lean();
    const memberNo = new Map(members.map((m) => [m._id.toHexString(), m.memberNo]));
    ctx.body = {
      payments: page.map((r) => r.row(memberNo.get(r.memberId.toHexString()) ?? '')),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.at.toISOString() ?? null) : null,
    };
  });

  router.post('/api/v1/admin/wallet/top-ups/:id/refunds', manage, validate(TopUpRefundRequest), async (ctx) => {
    const id = idParam(ctx.params.id, 'top-up');
    const { reason } = inputOf(ctx, TopUpRefundRequest);
    const topUp = await deps.wallet.refundTopUp(id, { memberId: null, reason, byMember: false });
    await audit(ctx, deps, 'wallet.topup.refund', { topUpId: id.toHexString(), reason }, topUp.memberId.toHexString());
    ctx.body = presentTopUp(topUp);
  });

  const refundCharge = async (ctx: Context) => {
    const id = idParam(ctx.params.id, 'charge');
    const existing = await deps.charges.get(id);
    assertCan(principalOf(ctx), 'wallet.refund', { storeId: existing.storeId.toHexString() });
    const { amountFen, idempotencyKey } = inputOf(ctx, ChargeRefundRequest);
    const charge = await deps.charges.refund(id, amountFen, `${id.toHexString()}:${idempotencyKey}`);
    await audit(
      ctx,
      deps,
      'wallet.charge.refund',
      { chargeId: id.toHexString(), amountFen },
      charge.memberId.toHexString(),
      `wallet.charge.refund:${id.toHexString()}:${idempotencyKey}`,
    );
    ctx.body = presentCharge(charge, (await deps.stores.get(charge.storeId.toHexString())).name);
  };
  // First gate: an owner, or a manager (of their own store); then the charge's store is checked once it is read.
  const refunder = authorize('wallet.refund', (ctx) => {
    const p = ctx.state.principal;
    return { storeId: p?.kind === 'staff' ? p.storeId : undefined };
  });
  router.post('/api/v1/admin/wallet/charges/:id/refunds', refunder, validate(ChargeRefundRequest), refundCharge);
  router.post('/api/v1/staff/wallet/charges/:id/refunds', refunder, validate(ChargeRefundRequest), refundCharge);

  router.get(WalletPaths.adminReconciliation, manage, validate(ReconciliationQuery, 'query'), async (ctx) => {
    ctx.body = await reconcileDay(deps, inputOf(ctx, ReconciliationQuery).date);
  });
  return router;
}

function audit(
  ctx: Context,
  deps: AppDeps,
  action: string,
  details: object,
  memberId?: string,
  dedupeKey?: string,
): Promise<void> {
  return deps.audit.record({
    actor: actorOf(ctx),
    action,
    ip: ctx.ip,
    details: { ...details },
    ...(memberId && { memberId }),
    ...(dedupeKey && { dedupeKey }),
  });
}
