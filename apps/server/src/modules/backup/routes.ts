// The owner downloads the full backup: the same archive `npm run backup` writes, streamed as it is made. Audited when
// it starts and when it ends (collections and documents written, or why it stopped).
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { BackupPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { actorOf, authorize } from '../../middlewares/auth';
import { backupFileName, createBackup, documentCount } from './archive';

export function backupRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get(BackupPaths.download, authorize('data.backup'), async (ctx) => {
    const db = deps.conn.db;
    if (!db) throw new Error('not connected');
    const backupId = randomUUID();
    const actor = actorOf(ctx);
    await deps.audit.record({ actor, action: 'backup.download', ip: ctx.ip, details: { backupId } });
    const backup = createBackup(db, { now: deps.now });
    const finished = (details: Record<string, unknown>) =>
      deps.audit
        .record({ actor, action: 'backup.download.finished', ip: ctx.ip, details: { backupId, ...details } })
        .catch((err) => ctx.state.log?.error({ err }, 'backup end audit failed'));
    backup.manifest.then(
      (manifest) =>
        finished({
          completed: true,
          collections: manifest.collections.length,
          documents: documentCount(manifest),
        }),
      (err: unknown) => finished({ completed: false, error: err instanceof Error ? err.message : String(err) }),
    );
    ctx.attachment(backupFileName(new Date(deps.now())), { type: 'attachment' });
    ctx.type = 'application/gzip';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = backup.stream;
  });

  return router;
}
