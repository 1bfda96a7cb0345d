// Writes a full backup of the database (every collection, streamed) to a .tar.gz:
//   npm run backup -- --out /backups/member-hub.tar.gz
// The same archive as the admin page's 下载完整备份; `npm run restore -- FILE` loads it into an empty database.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { parseEnv } from '../env';
import { cliMain } from '../lib/cliMain';
import { type BackupProgress, backupFileName, createBackup, documentCount } from '../modules/backup/archive';
import { openCommandDatabase } from '../modules/backup/database';

const HELP = `usage: npm run backup -- [--out FILE] [--quiet]

Writes every collection of the database to a gzip'd tar: collections/<name>/000001.ejson, … (one canonical
extended-JSON document per line) and manifest.json (counts and SHA-256 checksums), streamed collection by
collection. Progress goes to stderr.

  --out FILE   the archive to write; "-" writes it to stdout. Default: member-hub-backup-YYYYMMDD-HHmm.tar.gz.
               A relative path is taken from the directory npm runs the script in (the repository root for
               \`npm run backup\`). The file appears only once the backup is complete.
  --quiet      no progress on stderr
  --help       this text

Database: MONGODB_URI when set, else the embedded mongo-lite journal in DATA_DIR (default .data/mongo). With the
embedded engine, stop the server first: two engines must not open the same journal. On a busy shop, prefer a quiet
moment: collections are read one after another, not as of one instant (restore checks the ledgers and says so).`;

function progressPrinter(quiet: boolean): (p: BackupProgress) => void {
  let last = 0;
  return (p) => {
    if (quiet) return;
    const now = Date.now();
    if (!p.done && now - last < 1000) return;
    last = now;
    const of = p.estimated > 0 ? `/${p.estimated}` : '';
    process.stderr.write(`${p.done ? 'done' : '... '} ${p.collection}: ${p.documents}${of} documents\n`);
  };
}

async function run(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig(parseEnv(process.env));
  const toStdout = values.out === '-';
  const out = toStdout ? null : path.resolve(values.out ?? backupFileName(new Date()));
  const database = await openCommandDatabase(config);
  const started = Date.now();
  try {
    const db = database.conn.db;
    if (!db) throw new Error('not connected');
    if (!values.quiet) process.stderr.write(`backing up ${db.databaseName} (${database.where})\n`);
    const backup = createBackup(db, { onProgress: progressPrinter(values.quiet) });
    const partial = out && `${out}.partial`;
    try {
      const written = partial
        ? pipeline(backup.stream, createWriteStream(partial))
        : pipeline(backup.stream, process.stdout, { end: false });
      await Promise.all([written, backup.manifest]);
      if (partial && out) await rename(partial, out);
    } catch (err) {
      if (partial) await rm(partial, { force: true });
      throw err;
    }
    const manifest = await backup.manifest;
    const documents = documentCount(manifest);
    if (!values.quiet) {
      process.stderr.write(
        `backup written${out ? ` to ${out}` : ''}: ${manifest.collections.length} collections, ${documents} documents, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}

cliMain('backup', run);
