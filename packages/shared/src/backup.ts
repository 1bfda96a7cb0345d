// The full backup: a gzip'd tar with one folder of canonical-EJSON lines per collection and a manifest written last.
// `npm run backup` writes it, the owner's admin page downloads the same archive, `npm run restore` loads it.
import { z } from 'zod';

export const BackupPaths = {
  /** GET -> application/gzip, the archive streamed as it is written (owner only, audited). */
  download: '/api/v1/admin/backup.tar.gz',
} as const;

export const BACKUP_FORMAT = 'member-hub-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_MANIFEST_FILE = 'manifest.json';

export const BackupCollection = z.object({
  name: z.string().min(1),
  /** Documents in the collection's files together. */
  count: z.number().int().min(0),
  /** SHA-256 (hex) of the collection's files concatenated in the order listed: `cat <files> | sha256sum`. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `collections/<name>/000001.ejson`, …: one document per line; a new part starts past a few MiB. */
  files: z.array(z.string().min(1)),
  /** The collection's indexes as listIndexes gave them (without `v`/`ns`), created again on restore. */
  indexes: z.array(z.record(z.string(), z.unknown())),
});
export type BackupCollection = z.infer<typeof BackupCollection>;

export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  database: z.string(),
  collections: z.array(BackupCollection),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
