// The backup archive, written and read as streams: a gzip'd tar of `collections/<name>/000001.ejson`, … (one
// canonical EJSON document per line, so ObjectId, Date, Int32 vs Double, Long, Decimal128 and Binary come back
// exactly) and `manifest.json` last, since counts and checksums are known only once every cursor is drained.
// A tar header carries its entry's size, so a collection is cut into parts of a few MiB: one part is the most that
// is ever held in memory, on either side. Restore loads entries as they come (the manifest may be anywhere), hashes
// while it inserts, then compares with the manifest; on any refusal it drops what it loaded.
import { createHash, type Hash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { BACKUP_FORMAT, BACKUP_MANIFEST_FILE, BACKUP_VERSION, BackupManifest } from '@member-hub/shared';
import { type Connection, mongo } from 'mongoose';
import { type ExtractEvents, extract, pack } from 'tar-stream';
import { AppError } from '../../errors';
import { checkLedgerInvariants, type InvariantResult } from '../../lib/invariants';
import { initModels } from '../../models';
import { chinaDateTime } from '../exports/csv';

const { EJSON } = mongo.BSON;

/** Read back exactly as stored: no promotion of Int32/Double/Long to JS numbers, no Buffer for Binary. */
const EXACT: mongo.BSONSerializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};
const PART_BYTES = 4 * 1024 * 1024;
const MANIFEST_MAX_BYTES = 32 * 1024 * 1024;
const PART_NAME = /^collections\/([^/]+)\/(\d{6})\.ejson$/;
const NEWLINE = 0x0a;
const NAMESPACE_NOT_FOUND = 26;

type TarEntry = ExtractEvents['entry'][1];

export interface BackupProgress {
  collection: string;
  documents: number;
  /** The engine's estimate of the collection's size, for a percentage. */
  estimated: number;
  done: boolean;
}

export interface BackupOptions {
  now?: () => number;
  /** Bytes of EJSON per part (a part ends at the first line past this). */
  partBytes?: number;
  batchSize?: number;
  onProgress?: (progress: BackupProgress) => void;
}

export interface Backup {
  /** The .tar.gz bytes; destroying it (a client gone) stops the cursors. */
  stream: Readable;
  /** The manifest once the last byte is written; rejects when the backup failed or was cut off. */
  manifest: Promise<BackupManifest>;
}

/** member-hub-backup-20261202-1405.tar.gz, China time. */
/** Documents in the whole archive, as its manifest counts them. */
export function documentCount(manifest: Pick<BackupManifest, 'collections'>): number {
  return manifest.collections.reduce((n, c) => n + c.count, 0);
}

export function backupFileName(at: Date): string {
  const stamp = chinaDateTime(at).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
  return `member-hub-backup-${stamp}.tar.gz`;
}

/** Collections that hold the shop's data: not the engine's own (`system.*`), not views. */
async function dataCollections(db: mongo.Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return infos
    .filter((c) => (c.type ?? 'collection') === 'collection' && !c.name.startsWith('system.'))
    .map((c) => c.name)
    .sort();
}

function partName(collection: string, part: number): string {
  return `collections/${encodeURIComponent(collection)}/${String(part).padStart(6, '0')}.ejson`;
}

export function createBackup(db: mongo.Db, options: BackupOptions = {}): Backup {
  const partBytes = options.partBytes ?? PART_BYTES;
  const batchSize = options.batchSize ?? 1000;
  const createdAt = new Date((options.now ?? Date.now)());
  const tar = pack();
  // pipeline: the consumer going away destroys the tar, which fails the entry being written and so the cursor loop.
  // That failure reaches `manifest` through the entry's callback; the streams' own error events carry nothing more.
  const stream = pipeline(tar, createGzip(), () => {});
  tar.on('error', () => {});
  const put = (name: string, data: Buffer) =>
    new Promise<void>((resolve, reject) => {
      // The callback comes once the reader has taken the bytes: this is the backpressure on the cursors.
      tar
        .entry({ name, size: data.length, mtime: createdAt }, data, (err) => (err ? reject(err) : resolve()))
        .on('error', () => {});
    });

  const write = async (): Promise<BackupManifest> => {
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: createdAt.toISOString(),
      database: db.databaseName,
      collections: [],
    };
    for (const name of await dataCollections(db)) {
      const collection = db.collection(name);
      let specs: mongo.Document[];
      try {
        specs = await collection.listIndexes().toArray();
      } catch (err) {
        // Dropped since it was listed: nothing of it to keep.
        if ((err as { code?: number }).code === NAMESPACE_NOT_FOUND) continue;
        throw err;
      }
      const indexes = specs.map(({ v: _v, ns: _ns, background: _b, ...spec }) => spec);
      const estimated = await collection.estimatedDocumentCount();
      const hash = createHash('sha256');
      const files: string[] = [];
      let lines: Buffer[] = [];
      let size = 0;
      let count = 0;
      const flush = async () => {
        if (size === 0) return;
        const file = partName(name, files.length + 1);
        await put(file, Buffer.concat(lines, size));
        files.push(file);
        lines = [];
        size = 0;
      };
      for await (const doc of collection.find({}, { ...EXACT, batchSize })) {
        const line = Buffer.from(`${EJSON.stringify(doc, { relaxed: false })}\n`, 'utf8');
        hash.update(line);
        lines.push(line);
        size += line.length;
        count++;
        if (size >= partBytes) await flush();
        if (count % batchSize === 0)
          options.onProgress?.({ collection: name, documents: count, estimated, done: false });
      }
      await flush();
      options.onProgress?.({ collection: name, documents: count, estimated, done: true });
      manifest.collections.push({ name, count, sha256: hash.digest('hex'), files, indexes });
    }
    await put(BACKUP_MANIFEST_FILE, Buffer.from(`${EJSON.stringify(manifest, undefined, 2, { relaxed: true })}\n`));
    tar.finalize();
    return manifest;
  };

  const manifest = write().catch((err: unknown) => {
    tar.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  });
  return { stream, manifest };
}

// ---- restore ----

export interface RestoreProgress {
  phase: 'load' | 'indexes' | 'invariants';
  collection?: string;
  documents?: number;
}

export interface RestoreOptions {
  /** Documents per insertMany (fewer when their text passes `batchBytes`). */
  batchDocs?: number;
  batchBytes?: number;
  /** Keep the data although the ledger checks fail (the backup was taken under load, say); they are still reported. */
  acceptInvariantViolations?: boolean;
  onProgress?: (progress: RestoreProgress) => void;
}

export interface RestoreReport {
  database: string;
  /** When the backup was taken (from its manifest). */
  backupCreatedAt: string;
  collections: Array<{ name: string; count: number }>;
  documents: number;
  invariants: InvariantResult[];
}

interface Loaded {
  files: string[];
  count: number;
  hash: Hash;
}

const corrupt = (message: string, details?: unknown) => new AppError('BACKUP_ARCHIVE_CORRUPT', message, details);

/** Refuses a database that holds any document: a restore never mixes a backup with other data. */
export async function assertEmptyDatabase(db: mongo.Db): Promise<void> {
  const withData: string[] = [];
  for (const name of await dataCollections(db)) {
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) withData.push(name);
  }
  if (withData.length > 0) {
    throw new AppError(
      'BACKUP_TARGET_NOT_EMPTY',
      `database "${db.databaseName}" is not empty (${withData.join(', ')}): restore into an empty database`,
      { database: db.databaseName, collections: withData },
    );
  }
}

/** Back to empty after a refusal (the database was empty before, so nothing else is lost). */
async function dropEverything(db: mongo.Db): Promise<void> {
  for (const name of await dataCollections(db)) await db.collection(name).drop();
}

/** Tar entries with their bytes; anything the gzip or tar layer rejects is a corrupt archive. */
async function* archiveEntries(
  input: Readable,
): AsyncGenerator<{ name: string; type: string; data: AsyncIterable<Buffer> }> {
  let inputFault: unknown = null;
  input.once('error', (err) => {
    inputFault = err;
  });
  const entries = extract();
  // Failures reach the loop below through the iterators; a stream torn down after the loop stopped has no one to tell.
  entries.on('error', () => {});
  pipeline(input, createGunzip(), entries, () => {});
  // A read error of the file itself stays what it is; the layers above it failing means the bytes are wrong.
  const archiveError = (err: unknown) =>
    err === inputFault
      ? err
      : corrupt(`the archive cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  const iterator: AsyncIterator<TarEntry> = entries[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<TarEntry>;
    try {
      next = await iterator.next();
    } catch (err) {
      throw archiveError(err);
    }
    if (next.done) return;
    const entry = next.value;
    entry.on('error', () => {});
    async function* data(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of entry) yield chunk as Buffer;
      } catch (err) {
        throw archiveError(err);
      }
    }
    yield { name: entry.header.name, type: entry.header.type ?? 'file', data: data() };
  }
}

function parseManifest(text: string): BackupManifest {
  let raw: unknown;
  try {
    raw = EJSON.parse(text, { relaxed: true });
  } catch (err) {
    throw corrupt(`manifest.json does not parse: ${(err as Error).message}`);
  }
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (head.format !== BACKUP_FORMAT || head.version !== BACKUP_VERSION) {
    throw new AppError(
      'BACKUP_FORMAT_UNSUPPORTED',
      `not a ${BACKUP_FORMAT} version ${BACKUP_VERSION} archive (format ${JSON.stringify(head.format)}, version ${JSON.stringify(head.version)})`,
      { format: head.format, version: head.version },
    );
  }
  const parsed = BackupManifest.safeParse(raw);
  if (!parsed.success) throw corrupt('manifest.json is malformed', { issues: parsed.error.issues });
  return parsed.data;
}

/**
 * Loads an archive into the connection's database, which must be empty: indexes first (the models' own, so unique
 * keys hold while loading), then every collection file as it streams past, then the archive's other indexes, the
 * checks against the manifest and the ledger invariants. Any refusal leaves the database empty again.
 */
export async function restoreBackup(
  conn: Connection,
  input: Readable,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  await assertEmptyDatabase(db);
  try {
    return await restoreInto(conn, db, input, options);
  } catch (err) {
    input.destroy();
    try {
      await dropEverything(db);
    } catch (dropErr) {
      throw new Error(
        `restore failed (${err instanceof Error ? err.message : String(err)}) and what it loaded could not be dropped: ${(dropErr as Error).message}`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function restoreInto(
  conn: Connection,
  db: mongo.Db,
  input: Readable,
  options: RestoreOptions,
): Promise<RestoreReport> {
  const batchDocs = options.batchDocs ?? 1000;
  const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
  const progress = options.onProgress ?? (() => {});
  await initModels(conn);

  let manifest: BackupManifest | null = null;
  const loaded = new Map<string, Loaded>();
  for await (const entry of archiveEntries(input)) {
    if (entry.type === 'directory') {
      for await (const _ of entry.data);
      continue;
    }
    if (entry.name === BACKUP_MANIFEST_FILE) {
      if (manifest) throw corrupt('the archive has two manifests');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of entry.data) {
        size += chunk.length;
        if (size > MANIFEST_MAX_BYTES) throw corrupt('manifest.json is too large');
        chunks.push(chunk);
      }
      // Checked at once: an archive whose manifest comes first is refused before anything is loaded.
      manifest = parseManifest(Buffer.concat(chunks).toString('utf8'));
      continue;
    }
    const match = PART_NAME.exec(entry.name);
    if (!match) throw corrupt(`unexpected file in the archive: ${entry.name}`);
    let name = '';
    try {
      name = decodeURIComponent(match[1] as string);
    } catch {
      // not a name the writer makes: refused below
    }
    if (name === '' || name.startsWith('system.')) throw corrupt(`unexpected file in the archive: ${entry.name}`);
    const state = loaded.get(name) ?? { files: [], count: 0, hash: createHash('sha256') };
    loaded.set(name, state);
    if (Number(match[2]) !== state.files.length + 1) {
      throw corrupt(`${entry.name} is out of order (parts of a collection come in sequence)`);
    }
    state.files.push(entry.name);
    state.count += await loadPart(db.collection(name), entry.name, entry.data, state.hash, {
      batchDocs,
      batchBytes,
      startLine: state.count,
      onBatch: (documents) => progress({ phase: 'load', collection: name, documents }),
    });
  }

  if (!manifest) throw new AppError('BACKUP_MANIFEST_MISSING', 'the archive has no manifest.json');
  const listed = new Set(manifest.collections.map((c) => c.name));
  for (const name of loaded.keys()) {
    if (!listed.has(name)) {
      throw new AppError('BACKUP_CHECKSUM_MISMATCH', `collection "${name}" is in the archive but not in its manifest`, {
        collection: name,
      });
    }
  }
  for (const expected of manifest.collections) {
    const state = loaded.get(expected.name);
    const actual = {
      count: state?.count ?? 0,
      sha256: (state?.hash ?? createHash('sha256')).digest('hex'),
      files: state?.files ?? [],
    };
    if (
      actual.count !== expected.count ||
      actual.sha256 !== expected.sha256 ||
      actual.files.join('\n') !== expected.files.join('\n')
    ) {
      throw new AppError(
        'BACKUP_CHECKSUM_MISMATCH',
        `collection "${expected.name}" does not match the manifest: ${actual.count} documents, sha256 ${actual.sha256}; the manifest says ${expected.count}, ${expected.sha256}`,
        {
          collection: expected.name,
          expected: { count: expected.count, sha256: expected.sha256, files: expected.files },
          actual,
        },
      );
    }
  }

  progress({ phase: 'indexes' });
  for (const { name, indexes } of manifest.collections) await ensureIndexes(db, name, indexes);

  progress({ phase: 'invariants' });
  const invariants = await checkLedgerInvariants(db);
  const failed = invariants.filter((i) => !i.held);
  if (failed.length > 0 && !options.acceptInvariantViolations) {
    throw new AppError(
      'BACKUP_INVARIANTS_FAILED',
      `the restored data fails ${failed.length} ledger check(s): ${failed.map((f) => `${f.name} (${f.violations})`).join('; ')}`,
      { failed },
    );
  }
  return {
    database: db.databaseName,
    backupCreatedAt: manifest.createdAt,
    collections: manifest.collections.map(({ name, count }) => ({ name, count })),
    documents: documentCount(manifest),
    invariants,
  };
}

/** One part's lines, parsed and inserted in batches while their bytes are hashed; answers the documents inserted. */
async function loadPart(
  collection: mongo.Collection,
  file: string,
  data: AsyncIterable<Buffer>,
  hash: Hash,
  options: { batchDocs: number; batchBytes: number; startLine: number; onBatch: (documents: number) => void },
): Promise<number> {
  let pending: Buffer[] = [];
  let batch: mongo.Document[] = [];
  let batchSize = 0;
  let lines = 0;
  const insert = async () => {
    if (batch.length === 0) return;
    const result = await collection.insertMany(batch);
    if (result.insertedCount !== batch.length) {
      throw new AppError('BACKUP_CHECKSUM_MISMATCH', `${file}: ${result.insertedCount} of ${batch.length} inserted`);
    }
    batch = [];
    batchSize = 0;
    options.onBatch(options.startLine + lines);
  };
  const take = async (line: Buffer) => {
    lines++;
    let doc: unknown;
    try {
      doc = EJSON.parse(line.toString('utf8'), { relaxed: false });
    } catch (err) {
      throw corrupt(`${file} line ${lines} does not parse: ${(err as Error).message}`, { file, line: lines });
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('_id' in doc)) {
      throw corrupt(`${file} line ${lines} is not a document with an _id`, { file, line: lines });
    }
    batch.push(doc as mongo.Document);
    batchSize += line.length;
    if (batch.length >= options.batchDocs || batchSize >= options.batchBytes) await insert();
  };
  for await (const chunk of data) {
    hash.update(chunk);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      await take(pending.length ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) throw corrupt(`${file} does not end with a newline (cut short?)`, { file });
  await insert();
  return lines;
}

/** The archive's indexes that the models did not already build (same name = already there). */
async function ensureIndexes(db: mongo.Db, name: string, indexes: Array<Record<string, unknown>>): Promise<void> {
  const collection = db.collection(name);
  if (!(await db.listCollections({ name }, { nameOnly: true }).hasNext())) await db.createCollection(name);
  const present = new Set((await collection.listIndexes().toArray()).map((i) => i.name as string));
  const missing = indexes.filter((spec) => typeof spec.name === 'string' && !present.has(spec.name));
  if (missing.length === 0) return;
  await db.command({ createIndexes: name, indexes: missing });
}
