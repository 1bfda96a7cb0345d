// Full backup and restore on the real engine: data made through the API (members, purchases, points, coupons, a
// paid top-up, audit records) is backed up, restored into a second, empty database on the same engine, and compared
// document by document in canonical EJSON; damaged archives are refused and leave the database empty; the owner's
// download streams the same archive; the two command-line tools run end to end.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BackupManifest, BackupPaths, CouponPaths, IdentityPaths, PointsPaths, WalletPaths } from '@member-hub/shared';
import type { SandboxControl } from '@member-hub/wechat-sandbox';
import mongoose, { type Connection, mongo } from 'mongoose';
import { extract, pack } from 'tar-stream';
import { checkLedgerInvariants } from '../src/lib/invariants';
import { auditModel } from '../src/modules/audit/model';
import { createBackup, type RestoreOptions, restoreBackup } from '../src/modules/backup/archive';
import { bindPhone, createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

jest.setTimeout(120_000);

const { EJSON, Decimal128, Double, Int32, Long, Binary, ObjectId } = mongo.BSON;
const ROOT = path.resolve(__dirname, '../../..');

let hub: TestHub;
let sandbox: SandboxControl;
let owner: string;
let staff: string;
let memberToken: string;
const restoredDbs: Connection[] = [];

let seq = 0;
const key = (tag: string) => `${tag}-${++seq}-backup-key`;

/** Waits until the sandbox has delivered every payment notification. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await sandbox.flushNotifications();
    if (!sandbox.notifications().some((n) => n.status === 'pending')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('notifications did not settle');
}

async function expectOk(res: Promise<{ status: number; body: unknown }>, status = 201) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

beforeAll(async () => {
  hub = await startTestHub();
  if (!hub.sandbox) throw new Error('the tests need the sandbox');
  sandbox = hub.sandbox;
  owner = await ownerToken(hub);
  const store = await createStore(hub, owner, 'BAK1');
  staff = (await createStaff(hub, owner, store, 'backup-cashier')).token;
  const template = await expectOk(
    request(hub.url, 'POST', CouponPaths.adminTemplates, {
      token: owner,
      json: {
        title: '满100减20',
        effect: { kind: 'cash_off', valueFen: 2_000 },
        conditions: { thresholdFen: 10_000 },
        validity: { type: 'relative', days: 30 },
        claimable: true,
      },
    }),
  );
  const pkg = await expectOk(
    request(hub.url, 'POST', WalletPaths.adminPackages, {
      token: owner,
      json: { name: '充500送50', payFen: 50_000, bonusFen: 5_000 },
    }),
  );

  for (let i = 0; i < 4; i++) {
    const m = await memberLogin(hub, `backup-member-${i}`);
    if (i === 0) memberToken = m.token;
    await expectOk(bindPhone(hub, m.token, `1390000000${i}`), 200);
    await expectOk(
      request(hub.url, 'POST', IdentityPaths.staffScan, {
        token: staff,
        json: { code: (await memberCode(hub, m.token)).numeric },
      }),
      200,
    );
    for (const amountFen of [12_800, 3_350 + i]) {
      await expectOk(
        request(hub.url, 'POST', PointsPaths.staffPurchases, {
          token: staff,
          json: { memberId: m.memberId, amountFen, idempotencyKey: key('buy') },
        }),
      );
    }
    await expectOk(
      request(hub.url, 'POST', `/api/v1/admin/members/${m.memberId}/points-adjustments`, {
        token: owner,
        json: { amount: 10 + i, reason: '补录积分', idempotencyKey: key('adjust') },
      }),
      200,
    );
    await expectOk(
      request(hub.url, 'POST', CouponPaths.claims, {
        token: m.token,
        json: { templateId: template.id, idempotencyKey: key('claim') },
      }),
    );
    if (i < 2) {
      const topUp = await expectOk(
        request(hub.url, 'POST', WalletPaths.myTopUps, {
          token: m.token,
          json: { packageId: pkg.id, idempotencyKey: key('topup') },
        }),
      );
      sandbox.pay((topUp.topUp as { outTradeNo: string }).outTradeNo);
    }
  }
  await settle();

  // Every BSON type the archive must carry exactly, and an index no model declares.
  const types = sourceDb().collection<{ _id: unknown; [field: string]: unknown }>('bson_types');
  await types.insertMany([
    {
      _id: new ObjectId(),
      label: 'numbers',
      int: new Int32(7),
      double: new Double(1),
      fraction: 0.1,
      long: Long.fromString('9007199254740993'),
      decimal: Decimal128.fromString('1234.5600'),
      negativeZero: -0,
    },
    {
      _id: 'a string id',
      label: 'others',
      at: new Date('2026-12-02T06:05:04.321Z'),
      bytes: new Binary(Buffer.from([0, 1, 2, 250, 255])),
      uuid: new Binary(Buffer.from('0123456789abcdef'), Binary.SUBTYPE_UUID),
      nested: { list: [1, 'two', null, { three: [true] }], empty: {} },
      text: '中文，"quotes"\nnew line\ttab \u2028',
    },
  ]);
  await types.createIndex({ label: 1 }, { unique: true, name: 'label_unique' });
});

afterAll(async () => {
  for (const conn of restoredDbs) {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  }
  await hub?.stop();
});

function sourceDb(): mongo.Db {
  const db = hub.deps.conn.db;
  if (!db) throw new Error('not connected');
  return db;
}

/** The engine's URI with another database in its path. */
function uriOf(databaseName: string): string {
  const url = new URL(hub.databaseUri);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** A second database on the same engine, empty, on a connection of its own. */
async function emptyDb(): Promise<Connection> {
  const conn = await mongoose
    .createConnection(uriOf(`restored_${hub.deps.conn.name}_${restoredDbs.length}`))
    .asPromise();
  restoredDbs.push(conn);
  return conn;
}

async function bytesOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function takeBackup(partBytes?: number) {
  const backup = createBackup(sourceDb(), { now: hub.clock.now, partBytes });
  const [archive, manifest] = await Promise.all([bytesOf(backup.stream), backup.manifest]);
  return { archive, manifest };
}

const restore = (conn: Connection, archive: Buffer, options?: RestoreOptions) =>
  restoreBackup(conn, Readable.from([archive]), options);

/** Every document of a collection in canonical EJSON (types included), in _id order. */
async function canonical(db: mongo.Db, name: string): Promise<string[]> {
  const docs = await db
    .collection(name)
    .find({}, { sort: { _id: 1 }, promoteValues: false, promoteLongs: false, promoteBuffers: false })
    .toArray();
  return docs.map((d) => EJSON.stringify(d, { relaxed: false }));
}

async function collectionNames(db: mongo.Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
}

async function indexesOf(db: mongo.Db, name: string) {
  return (await db.collection(name).listIndexes().toArray())
    .map(({ v: _v, ns: _ns, background: _b, ...spec }) => EJSON.stringify(spec, { relaxed: true }))
    .sort();
}

interface TarFile {
  name: string;
  data: Buffer;
}

async function untar(archive: Buffer): Promise<TarFile[]> {
  const files: TarFile[] = [];
  const reader = extract();
  reader.end(gunzipSync(archive));
  for await (const entry of reader) files.push({ name: entry.header.name, data: await bytesOf(entry) });
  return files;
}

async function retar(files: TarFile[]): Promise<Buffer> {
  const writer = pack();
  for (const f of files) writer.entry({ name: f.name, size: f.data.length }, f.data);
  writer.finalize();
  return gzipSync(await bytesOf(writer));
}

const manifestOf = (files: TarFile[]) =>
  BackupManifest.parse(EJSON.parse((files.find((f) => f.name === 'manifest.json') as TarFile).data.toString()));

const withManifest = (files: TarFile[], manifest: unknown): TarFile[] =>
  files.map((f) =>
    f.name === 'manifest.json' ? { name: f.name, data: Buffer.from(EJSON.stringify(manifest, { relaxed: true })) } : f,
  );

/** Edits one line of a collection's first part with `change` (on the document's EJSON text). */
function editLine(files: TarFile[], collection: string, change: (line: string) => string): TarFile[] {
  const file = `collections/${collection}/000001.ejson`;
  return files.map((f) => {
    if (f.name !== file) return f;
    const lines = f.data.toString('utf8').split('\n');
    lines[0] = change(lines[0] as string);
    return { name: f.name, data: Buffer.from(lines.join('\n')) };
  });
}

async function expectRefused(archive: Buffer, code: string, message?: RegExp) {
  const target = await emptyDb();
  const attempt = restore(target, archive);
  await expect(attempt).rejects.toMatchObject({ code, ...(message && { message: expect.stringMatching(message) }) });
  expect(await collectionNames(target.db as mongo.Db)).toEqual([]);
}

describe('backup then restore into an empty database', () => {
  it('gives back every collection document by document, with its indexes, and the ledgers hold', async () => {
    // Small parts, so the bigger collections span several.
    const { archive, manifest } = await takeBackup(2_048);
    const source = sourceDb();
    expect(manifest).toMatchObject({ format: 'member-hub-backup', version: 1, database: source.databaseName });
    expect(manifest.collections.map((c) => c.name)).toEqual(await collectionNames(source));
    const members = manifest.collections.find((c) => c.name === 'members');
    expect(members?.count).toBe(4);
    expect(members?.files.length).toBeGreaterThan(1);
    for (const name of ['ledger_entries', 'orders', 'coupons', 'top_ups', 'audit_log', 'bson_types']) {
      expect({ name, some: (manifest.collections.find((c) => c.name === name)?.count ?? 0) > 0 }).toEqual({
        name,
        some: true,
      });
    }
    expect(manifest.collections.find((c) => c.name === 'ledger_entries')?.count).toBeGreaterThan(20);

    const target = await emptyDb();
    const report = await restore(target, archive);
    const db = target.db as mongo.Db;
    expect(report.documents).toBe(manifest.collections.reduce((n, c) => n + c.count, 0));
    expect(report.invariants.every((i) => i.held)).toBe(true);
    expect(report.invariants.find((i) => i.name.startsWith('members.points'))?.checked).toBe(4);

    expect(await collectionNames(db)).toEqual(await collectionNames(source));
    for (const name of await collectionNames(source)) {
      expect({ name, docs: await canonical(db, name) }).toEqual({ name, docs: await canonical(source, name) });
      expect({ name, indexes: await indexesOf(db, name) }).toEqual({ name, indexes: await indexesOf(source, name) });
    }
    // The exact types survived: Int32 stays Int32, Long stays Long, Decimal128 keeps its trailing zeros.
    const numbers = await db.collection('bson_types').findOne({ label: 'numbers' }, { promoteValues: false });
    expect(numbers?.int).toBeInstanceOf(Int32);
    expect(numbers?.long).toBeInstanceOf(Long);
    expect(String(numbers?.decimal)).toBe('1234.5600');
    expect(await db.collection('bson_types').indexExists('label_unique')).toBe(true);
  });

  it('is the same archive whatever the part size: one part per small collection by default', async () => {
    const { manifest } = await takeBackup();
    const members = manifest.collections.find((c) => c.name === 'members');
    expect(members?.files).toEqual(['collections/members/000001.ejson']);
    const small = (await takeBackup(2_048)).manifest.collections.find((c) => c.name === 'members');
    // The checksum is over the collection's lines, so it does not depend on where the parts are cut.
    expect(small?.sha256).toBe(members?.sha256);
  });
});

describe('damaged archives are refused and leave the database empty', () => {
  let archive: Buffer;
  let files: TarFile[];
  beforeAll(async () => {
    archive = (await takeBackup()).archive;
    files = await untar(archive);
  });

  it('a flipped byte in the gzip stream', async () => {
    const damaged = Buffer.from(archive);
    const at = Math.floor(damaged.length / 2);
    damaged[at] = (damaged[at] as number) ^ 0xff;
    // Where the damage shows depends on the bytes (deflate, a tar header, a line, the gzip CRC): always refused.
    await expectRefused(damaged, 'BACKUP_ARCHIVE_CORRUPT');
  });

  it('a cut-off archive', async () => {
    await expectRefused(archive.subarray(0, Math.floor(archive.length * 0.6)), 'BACKUP_ARCHIVE_CORRUPT');
  });

  it('not a gzip file at all', async () => {
    await expectRefused(Buffer.from('this is not a backup\n'), 'BACKUP_ARCHIVE_CORRUPT');
  });

  it('one changed line (still valid EJSON) fails its checksum', async () => {
    const edited = editLine(files, 'members', (line) => line.replace('"status":"active"', '"status":"deleted"'));
    expect(edited).not.toEqual(files);
    await expectRefused(await retar(edited), 'BACKUP_CHECKSUM_MISMATCH', /"members" does not match the manifest/);
  });

  it('a line that does not parse', async () => {
    await expectRefused(
      await retar(editLine(files, 'members', (line) => line.slice(0, -3))),
      'BACKUP_ARCHIVE_CORRUPT',
      /line 1 does not parse/,
    );
  });

  it('a missing collection file', async () => {
    await expectRefused(
      await retar(files.filter((f) => !f.name.startsWith('collections/orders/'))),
      'BACKUP_CHECKSUM_MISMATCH',
      /"orders"/,
    );
  });

  it('no manifest', async () => {
    await expectRefused(
      await retar(files.filter((f) => f.name !== 'manifest.json')),
      'BACKUP_MANIFEST_MISSING',
      /no manifest\.json/,
    );
  });

  it('an unknown format or version, refused before loading when the manifest comes first', async () => {
    const manifest = manifestOf(files);
    const future = withManifest(files, { ...manifest, version: 2 });
    const first = [
      ...future.filter((f) => f.name === 'manifest.json'),
      ...future.filter((f) => f.name !== 'manifest.json'),
    ];
    await expectRefused(await retar(first), 'BACKUP_FORMAT_UNSUPPORTED', /version 2/);
    await expectRefused(
      await retar(withManifest(files, { ...manifest, format: 'mongodump' })),
      'BACKUP_FORMAT_UNSUPPORTED',
    );
  });

  it('data whose balances disagree with their ledger, even with a consistent manifest', async () => {
    // A member's cached points changed and the manifest's checksum recomputed: only the ledger check can tell.
    const edited = editLine(files, 'members', (line) =>
      line.replace(/"points":\{"\$numberInt":"(\d+)"\}/, (_m, n) => `"points":{"$numberInt":"${Number(n) + 1}"}`),
    );
    const part = edited.find((f) => f.name === 'collections/members/000001.ejson') as TarFile;
    const manifest = manifestOf(files);
    const { createHash } = await import('node:crypto');
    const fixed = withManifest(edited, {
      ...manifest,
      collections: manifest.collections.map((c) =>
        c.name === 'members' ? { ...c, sha256: createHash('sha256').update(part.data).digest('hex') } : c,
      ),
    });
    const tampered = await retar(fixed);
    await expectRefused(tampered, 'BACKUP_INVARIANTS_FAILED', /members\.points = Σ points entries \(1\)/);

    // Kept on request, with the failure reported.
    const report = await restore(await emptyDb(), tampered, { acceptInvariantViolations: true });
    const points = report.invariants.find((i) => i.name.startsWith('members.points'));
    expect(points).toMatchObject({
      held: false,
      violations: 1,
      examples: [expect.objectContaining({ memberNo: expect.any(String) })],
    });
  });

  it('a database that is not empty is refused and left as it was', async () => {
    const target = await emptyDb();
    await target.db?.collection('members').insertOne({ memberNo: 'existing' });
    await expect(restore(target, archive)).rejects.toMatchObject({
      code: 'BACKUP_TARGET_NOT_EMPTY',
      message: expect.stringMatching(/members/),
    });
    expect(await target.db?.collection('members').countDocuments()).toBe(1);
  });
});

describe('the invariants checker', () => {
  it('holds on the live database and counts every member and entry', async () => {
    const results = await checkLedgerInvariants(sourceDb(), { batchSize: 3 });
    expect(results.map((r) => [r.name, r.held])).toEqual(results.map((r) => [r.name, true]));
    const entries = await sourceDb().collection('ledger_entries').countDocuments();
    expect(results.find((r) => r.name === 'every ledger entry belongs to a member')?.checked).toBe(entries);
  });
});

/** The end-of-download audit record of the latest download, once written. */
async function downloadEnd(): Promise<{ details: Record<string, unknown> }> {
  const start = await auditModel(hub.deps.conn)
    .findOne({ action: 'backup.download' })
    .sort({ _id: -1 })
    .lean<{ actor: { kind: string }; details: { backupId: string } }>();
  expect(start?.actor.kind).toBe('owner');
  for (let i = 0; i < 250; i++) {
    const end = await auditModel(hub.deps.conn)
      .findOne({ action: 'backup.download.finished', 'details.backupId': start?.details.backupId })
      .lean<{ details: Record<string, unknown> }>();
    if (end) return end;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no backup.download.finished record');
}

describe('the owner downloads the archive', () => {
  it('streams a tar.gz whose manifest matches the database, and audits the start and the end', async () => {
    const res = await fetch(new URL(BackupPaths.download, hub.url), { headers: { authorization: `Bearer ${owner}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="member-hub-backup-\d{8}-\d{4}\.tar\.gz"$/,
    );
    const files = await untar(Buffer.from(await res.arrayBuffer()));
    expect(files.at(-1)?.name).toBe('manifest.json');
    const manifest = manifestOf(files);
    expect(manifest.collections.find((c) => c.name === 'members')?.count).toBe(
      await sourceDb().collection('members').countDocuments(),
    );
    const lines = files
      .filter((f) => f.name.startsWith('collections/ledger_entries/'))
      .flatMap((f) => f.data.toString().trimEnd().split('\n'));
    expect(lines).toHaveLength(await sourceDb().collection('ledger_entries').countDocuments());

    expect((await downloadEnd()).details).toMatchObject({ completed: true, collections: manifest.collections.length });
  });

  it('is streamed: a client that stops reading holds the backup, one that goes away ends it (audited)', async () => {
    // Incompressible bytes, far more than the socket and gzip buffers hold.
    const bulk = sourceDb().collection('zz_bulk');
    await bulk.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({ i, data: randomBytes(3_000).toString('base64') })),
    );
    try {
      const req = http.get(new URL(BackupPaths.download, hub.url), { headers: { authorization: `Bearer ${owner}` } });
      const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
      expect(res.statusCode).toBe(200);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      await new Promise((r) => res.once('data', r));
      res.pause();
      await new Promise((r) => setTimeout(r, 500));
      const finishedWhilePaused = await auditModel(hub.deps.conn).countDocuments({
        action: 'backup.download.finished',
        'details.completed': false,
      });
      expect(finishedWhilePaused).toBe(0);
      req.destroy();
      expect((await downloadEnd()).details).toMatchObject({ completed: false, error: expect.any(String) });
    } finally {
      await bulk.drop();
    }
  });

  it('is refused to staff, members and anonymous callers', async () => {
    for (const [token, status, code] of [
      [staff, 403, 'FORBIDDEN'],
      [memberToken, 403, 'FORBIDDEN'],
      [undefined, 401, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await request(hub.url, 'GET', BackupPaths.download, { token });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
    }
  });
});

describe('the command-line tools', () => {
  function run(script: string, args: string[], databaseName: string) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', `apps/server/src/cli/${script}.ts`, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'test', MONGODB_URI: uriOf(databaseName) },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('npm run backup writes the archive, npm run restore loads it and refuses a second time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'member-hub-backup-'));
    try {
      const file = path.join(dir, 'hub.tar.gz');
      const backup = await run('backup', ['--out', file], hub.deps.conn.name);
      expect(backup).toMatchObject({ code: 0 });
      expect(backup.stderr).toMatch(/done members: 4\/4 documents/);
      expect(backup.stderr).toMatch(/backup written to .*hub\.tar\.gz: \d+ collections, \d+ documents/);
      const manifest = manifestOf(await untar(readFileSync(file)));

      const target = await emptyDb();
      const restored = await run('restore', [file], target.name);
      expect(restored).toMatchObject({ code: 0 });
      expect(restored.stdout).toMatch(/^ok {3}members\.points = Σ points entries: 4 checked, 0 violations$/m);
      expect(restored.stdout).toMatch(
        new RegExp(`restored ${manifest.collections.reduce((n, c) => n + c.count, 0)} documents`),
      );
      for (const c of manifest.collections) {
        expect({ name: c.name, count: await target.db?.collection(c.name).countDocuments() }).toEqual({
          name: c.name,
          count: c.count,
        });
      }

      const again = await run('restore', [file], target.name);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/restore refused \[BACKUP_TARGET_NOT_EMPTY\]/);

      const help = await run('restore', ['--help'], target.name);
      expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/--accept-invariant-violations/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
