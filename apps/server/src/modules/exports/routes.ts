// The owner's CSV exports: members, points / wallet ledgers, the RFM list and the churn list. Each is audited when
// it starts (what, filters, masked or not) and when it ends (rows written, whether the client got them all).
// Phones leave unmasked only when asked (`phone=full`) by an owner holding the export-personal-data permission.
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { ExportPaths, LedgerExportQuery, MemberExportQuery, RfmExportQuery } from '@member-hub/shared';
import type { Context } from 'koa';
import type { AppDeps } from '../../deps';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { assertCan } from '../auth/policy';
import { chinaDateTime, sendCsv } from './csv';
import { churnRows, EXPORT_COLUMNS, type ExportKind, ledgerFilter, ledgerRows, memberRows, rfmRows } from './sources';

const FILE_NAMES: Record<ExportKind, string> = {
  members: '会员',
  ledger: '流水',
  rfm: 'RFM会员分类',
  churn: '流失预警',
};

export function exportRoutes(deps: AppDeps): Router {
  const router = new Router();
  const exporting = authorize('member.export');

  /** Audits the start, streams, and audits the end. */
  const download = async (
    ctx: Context,
    kind: ExportKind,
    filters: Record<string, unknown>,
    masked: boolean,
    rows: AsyncIterable<Array<string | number>>,
  ) => {
    const exportId = randomUUID();
    const actor = actorOf(ctx);
    await deps.audit.record({ actor, action: `export.${kind}`, ip: ctx.ip, details: { exportId, filters, masked } });
    const stamp = chinaDateTime(new Date(deps.now())).replace(/[-: ]/g, '').slice(0, 12);
    sendCsv(ctx, {
      fileName: `${FILE_NAMES[kind]}-${stamp}.csv`,
      columns: EXPORT_COLUMNS[kind],
      rows,
      onEnd: (result) =>
        deps.audit.record({
          actor,
          action: `export.${kind}.finished`,
          ip: ctx.ip,
          details: { exportId, masked, ...result },
        }),
    });
  };

  router.get(ExportPaths.members, exporting, validate(MemberExportQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, MemberExportQuery);
    const masked = query.phone !== 'full';
    if (!masked) assertCan(ctx.state.principal, 'member.export.personal');
    const { phone: _phone, ...filters } = query;
    await download(ctx, 'members', filters, masked, memberRows(deps, query, masked));
  });

  router.get(ExportPaths.ledger, exporting, validate(LedgerExportQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, LedgerExportQuery);
    // Resolved before the download starts, so an unknown member number is a 404, not a broken file.
    const filter = await ledgerFilter(deps, query);
    await download(ctx, 'ledger', { ...query }, true, ledgerRows(deps, filter));
  });

  router.get(ExportPaths.rfm, exporting, validate(RfmExportQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, RfmExportQuery);
    await download(ctx, 'rfm', { ...query }, true, rfmRows(deps, query));
  });

  router.get(ExportPaths.churn, exporting, validate(RfmExportQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, RfmExportQuery);
    await download(ctx, 'churn', { ...query }, true, churnRows(deps, query));
  });

  return router;
}
