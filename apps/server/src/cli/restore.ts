// Loads a full backup (from `npm run backup` or the admin page's 下载完整备份) into an EMPTY database:
//   npm run restore -- /backups/member-hub-backup-20261202-1405.tar.gz
// Counts, checksums and the ledger invariants are verified; any refusal leaves the database empty.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { parseEnv } from '../env';
import { AppError } from '../errors';
import { cliMain } from '../lib/cliMain';
import { type RestoreProgress, restoreBackup } from '../modules/backup/archive';
import { openCommandDatabase } from '../modules/backup/database';

const HELP = `usage: npm run restore -- FILE [--accept-invariant-violations] [--quiet]

Restores a member-hub backup archive (.tar.gz) into an empty database: the models' indexes are built first, every
collection is loaded as it streams in, then the archive's other indexes are created and the load is checked:
document counts and SHA-256 checksums against manifest.json, and the ledger invariants (each member's points,
growth and stored value equal the sum of their entries; no negative stored value). A corrupt archive, a checksum
mismatch, an unknown format or a failed check is refused with a non-zero exit and the database is left empty.

  FILE                           the archive (a relative path is taken from the directory npm runs the script in)
  --accept-invariant-violations  keep the data even when a ledger check fails (e.g. a backup taken under heavy
                                 load); the failures are still printed
  --quiet                        no progress on stderr
  --help                         this text

Database: MONGODB_URI when set (its path names the database), else the embedded mongo-lite journal in DATA_DIR
(default .data/mongo). Stop the server first; the database must hold no documents.`;

function progressPrinter(quiet: boolean): (p: RestoreProgress) => void {
  let last = 0;
  let current = '';
  return (p) => {
    if (quiet) return;
    const now = Date.now();
    if (p.phase === 'load') {
      if (p.collection === current && now - last < 1000) return;
      current = p.collection ?? '';
      last = now;
      process.stderr.write(`... ${p.collection}: ${p.documents} documents\n`);
    } else process.stderr.write(p.phase === 'indexes' ? 'building indexes\n' : 'checking the ledgers\n');
  };
}

async function run(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'accept-invariant-violations': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(HELP);
    return 2;
  }
  const file = path.resolve(positionals[0] as string);
  // Before connecting: a wrong path is a plain message, not a refused restore.
  if (!(await stat(file).catch(() => null))?.isFile()) {
    console.error(`restore: ${file} is not a file`);
    return 2;
  }
  const config = loadConfig(parseEnv(process.env));
  const database = await openCommandDatabase(config);
  const started = Date.now();
  try {
    if (!values.quiet) process.stderr.write(`restoring ${file} into ${database.conn.name} (${database.where})\n`);
    const report = await restoreBackup(database.conn, createReadStream(file), {
      acceptInvariantViolations: values['accept-invariant-violations'],
      onProgress: progressPrinter(values.quiet),
    });
    for (const check of report.invariants) {
      const mark = check.held ? 'ok  ' : 'FAIL';
      console.log(`${mark} ${check.name}: ${check.checked} checked, ${check.violations} violations`);
      for (const example of check.examples) console.log(`       ${JSON.stringify(example)}`);
    }
    console.log(
      `restored ${report.documents} documents in ${report.collections.length} collections into ${report.database} ` +
        `(backup of ${report.backupCreatedAt}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`restore refused [${err.code}]: ${err.message}`);
    if (err.code === 'BACKUP_INVARIANTS_FAILED') {
      for (const check of (err.details as { failed: Array<{ name: string; examples: unknown[] }> }).failed) {
        console.error(`  ${check.name}`);
        for (const example of check.examples) console.error(`    ${JSON.stringify(example)}`);
      }
    }
    console.error(err.code === 'BACKUP_TARGET_NOT_EMPTY' ? 'nothing was changed' : 'the database was left empty');
    return 1;
  } finally {
    await database.close();
  }
}

cliMain('restore', run);
