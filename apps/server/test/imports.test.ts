// Member import end to end over HTTP: upload, mapping + validation report, dry run, the job, re-imports, a batch
// interrupted half way, a worker killed with SIGKILL and resumed elsewhere, XLSX and GBK files, and bad input
// refused in the one error shape. The 100,000-row file is validated and dry-run here; importing all of it takes
// minutes on the embedded engine and is imports.big.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import {
  IMPORT_MAX_BYTES,
  IMPORT_XLSX_MIME,
  type ImportDryRun,
  type ImportIssue,
  ImportPaths,
  ImportReasons,
} from '@member-hub/shared';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Types } from 'mongoose';
import { importMembers } from '../src/jobs/importMembers';
import { auditModel } from '../src/modules/audit/model';
import { importModels } from '../src/modules/imports/model';
import { startImport } from '../src/modules/imports/service';
import type { LedgerService } from '../src/modules/ledger/service';
import { tierChangeModel } from '../src/modules/tiers/service';
import { BALANCED, balanced, FULL_MAPPING, importClient, type Totals, totals } from './fixtures/imports/client';
import { type GeneratedFile, generateMemberCsv } from './fixtures/imports/generate';
import { bindPhone, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

const BIG_ROWS = 100_000;
// Per test and hook: the engine runs in this process and machines are shared; a ceiling, not an expectation.
jest.setTimeout(300_000);
/** Imported for real in this file (the 100,000-row import is imports.big.test.ts). */
const IMPORT_ROWS = 1_000;

let hub: TestHub;
let owner: string;
let api: ReturnType<typeof importClient>;
let upload: ReturnType<typeof importClient>['upload'];
let mapColumns: ReturnType<typeof importClient>['mapColumns'];

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  api = importClient(hub, () => owner);
  ({ upload, mapColumns } = api);
});
afterAll(async () => {
  await hub.stop();
});

/** What an import added between two totals. */
const added = (before: Totals, after: Totals) => ({
  members: after.members - before.members,
  points: after.imported.points - before.imported.points,
  fen: after.imported.fen - before.imported.fen,
  pointsEntries: after.imported.pointsEntries - before.imported.pointsEntries,
  fenEntries: after.imported.fenEntries - before.imported.fenEntries,
  tierChanges: after.tierChanges - before.tierChanges,
});
const expectedFrom = (file: GeneratedFile) => ({
  members: file.good,
  points: file.points,
  fen: file.fen,
  pointsEntries: file.withPoints,
  fenEntries: file.withFen,
  tierChanges: file.withTierUp,
});

describe('a 100,000-row member base with 1% bad rows', () => {
  let file: GeneratedFile;
  let importId: string;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await run();
    } finally {
      timings[name] = Date.now() - t;
    }
  };

  beforeAll(() => {
    file = generateMemberCsv(BIG_ROWS, '139');
  });
  afterAll(() => {
    process.stdout.write(`100k-row file timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it('upload: row count, header, preview and a mapping suggested from the Chinese header', async () => {
    const res = await timed('upload', () => upload(file.csv, { name: '老系统会员.csv' }));
    expect(res.status).toBe(201);
    importId = res.body.importId;
    expect(res.body).toMatchObject({
      fileName: '老系统会员.csv',
      format: 'csv',
      encoding: 'utf-8',
      rowCount: BIG_ROWS,
      header: ['手机号', '姓名', '生日', '积分', '余额', '等级', '会员编号'],
      duplicateOf: null,
    });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.preview).toHaveLength(10);
    expect(res.body.preview[0]).toEqual({ row: 2, cells: file.csv.split('\r\n')[1]?.split(',') });
    expect(res.body.suggestedMapping.columns).toEqual(FULL_MAPPING.columns);
  });

  it('the validation report lists exactly the bad rows, with column and reason, phones masked', async () => {
    const res = await timed('validate', () => mapColumns(importId, { ...FULL_MAPPING, externalSource: 'oldpos' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      rows: BIG_ROWS,
      goodRows: file.good,
      badRows: BIG_ROWS / 100,
      issues: BIG_ROWS / 100,
      points: file.points,
      balanceFen: file.fen,
    });
    const issues = await timed('report', () => api.allIssues(importId));
    expect(issues.map((i) => ({ row: i.row, column: i.column, reason: i.reason }))).toEqual(file.bad);
    // All eleven kinds of problem are there (two share the points reason); no phone is shown whole.
    expect(new Set(issues.map((i) => i.reason.replace(/（第 \d+ 行）/, ''))).size).toBe(10);
    for (const issue of issues.filter((i) => i.column === 'phone')) expect(issue.value).toMatch(/^\d{3}\*{4}\d{3,4}$/);
    expect(issues.find((i) => i.column === 'birthday')).toMatchObject({ columnName: '生日', value: '1990-02-30' });
    const tier = await request(hub.url, 'GET', `${ImportPaths.report(importId)}?column=tier`, { token: owner });
    expect(tier.body.total).toBe(file.bad.filter((b) => b.column === 'tier').length);
    expect(tier.body.items.every((i: ImportIssue) => i.reason === ImportReasons.tierUnknown)).toBe(true);
  });

  it('the report downloads as CSV (BOM, one line per problem)', async () => {
    const res = await fetch(new URL(ImportPaths.reportCsv(importId), hub.url), {
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(file.bad.length + 1);
    expect(lines[0]).toBe('行号,字段,列名,内容,原因');
  });

  it('dry run: every good row would be created, and nothing changes', async () => {
    const before = await totals(hub);
    const res = await timed('dryRun', () =>
      request<ImportDryRun>(hub.url, 'POST', ImportPaths.dryRun(importId), { token: owner }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      rows: BIG_ROWS,
      create: file.good,
      link: 0,
      skip: 0,
      bad: file.bad.length,
      points: file.points,
      balanceFen: file.fen,
    });
    expect(await totals(hub)).toEqual(before);
  });
});

describe(`importing ${IMPORT_ROWS.toLocaleString('en-US')} rows`, () => {
  let file: GeneratedFile;
  let importId: string;
  let before: Totals;

  beforeAll(async () => {
    file = generateMemberCsv(IMPORT_ROWS, '138');
    // A member who is already here (registered in the mini-program, phone bound): the import links to them.
    const existing = await memberLogin(hub, 'import-existing');
    expect((await bindPhone(hub, existing.token, file.phoneOf(10) as string)).status).toBeLessThan(300);
    importId = (await api.prepare(file.csv, '老系统会员.csv', 'oldpos')).importId;
    before = await totals(hub);
  });

  it('dry run: one row links to the member already here', async () => {
    const res = await request<ImportDryRun>(hub.url, 'POST', ImportPaths.dryRun(importId), { token: owner });
    expect(res.body).toMatchObject({ create: file.good - 1, link: 1, skip: 0, bad: file.bad.length });
    expect(await totals(hub)).toEqual(before);
  });

  it('exact totals, ledgers equal balances, tier history, audited', async () => {
    const started = await request(hub.url, 'POST', ImportPaths.start(importId), { token: owner });
    expect(started.status).toBe(202);
    expect(['queued', 'running', 'done']).toContain(started.body.state);
    const done = await api.waitDone(importId);
    expect(done.job).toMatchObject({
      state: 'done',
      processed: IMPORT_ROWS,
      total: IMPORT_ROWS,
      created: file.good - 1,
      linked: 1,
      skipped: 0,
      bad: file.bad.length,
      pointsEntered: file.points,
      fenEntered: file.fen,
      error: null,
    });
    expect(done.job.finishedAt).not.toBeNull();
    const after = await totals(hub);
    expect(added(before, after)).toEqual({ ...expectedFrom(file), members: file.good - 1 });
    expect(balanced(after)).toEqual(BALANCED);

    // The member who was already here got the row's values and kept their WeChat account.
    const linked = await hub.deps.identity.findByPhone(file.phoneOf(10) as string);
    expect(linked?.wechat).toHaveLength(1);
    expect(linked?.externalIds).toEqual([{ source: 'oldpos', id: 'E10' }]);
    expect(linked?.nickname).toBe('会员10');
    // Known by external id only; a quoted name read back whole.
    expect(await hub.deps.identity.findByKeys(['ext:oldpos:E0'])).toMatchObject({
      phone: null,
      nickname: '会员0',
      birthday: null,
    });
    expect((await hub.deps.identity.findByPhone(file.phoneOf(3) as string))?.nickname).toBe('张"小3",先生');
    // i = 5: 1985/6/6 becomes 1985-06-06, locked like a birthday the member set; no tier given.
    expect(await hub.deps.identity.findByPhone(file.phoneOf(5) as string)).toMatchObject({
      birthday: '1985-06-06',
      birthdayLocked: true,
      tier: '普通会员',
    });
    // i = 8: 金卡 with a history entry; opening points that expire like any; stored value as principal.
    const eight = await hub.deps.identity.findByPhone(file.phoneOf(8) as string);
    expect(eight).toMatchObject({ birthday: '1985-09-09', tier: '金卡', walletBonusFen: 0 });
    expect(await tierChangeModel(hub.deps.conn).findOne({ memberId: eight?._id }).lean()).toMatchObject({
      from: '普通会员',
      to: '金卡',
      reason: 'import',
    });
    expect(Object.values(eight?.pointsByExpiry ?? {})).toEqual([(8 * 37) % 5000]);
    expect(await hub.deps.ledger.verify(eight?._id as Types.ObjectId)).toMatchObject({
      points: { cached: (8 * 37) % 5000, sum: (8 * 37) % 5000 },
      walletPrincipal: { cached: (8 * 131) % 100_000, sum: (8 * 131) % 100_000 },
    });

    const audits = auditModel(hub.deps.conn);
    const finish = await audits.findOne({ action: 'member.import.finish', 'details.importId': importId }).lean();
    expect(finish?.actor).toMatchObject({ kind: 'owner', name: 'owner' });
    expect(finish?.details).toMatchObject({
      fileName: '老系统会员.csv',
      created: file.good - 1,
      linked: 1,
      bad: file.bad.length,
    });
    expect(await audits.countDocuments({ action: 'member.import.start', 'details.importId': importId })).toBe(1);
    expect(await audits.countDocuments({ action: 'member.import.upload', 'details.importId': importId })).toBe(1);
    before = after;
  });

  it('starting it again, or importing a re-uploaded copy, changes nothing', async () => {
    const again = await request(hub.url, 'POST', ImportPaths.start(importId), { token: owner });
    expect(again.status).toBe(202);
    expect(again.body.state).toBe('done');

    const copy = await api.prepare(file.csv, '老系统会员(1).csv', 'oldpos');
    expect(copy.duplicateOf).toMatchObject({ importId, state: 'done' });
    const dry = await request<ImportDryRun>(hub.url, 'POST', ImportPaths.dryRun(copy.importId), { token: owner });
    expect(dry.body).toMatchObject({
      create: 0,
      link: 0,
      skip: file.good,
      bad: file.bad.length,
      points: 0,
      balanceFen: 0,
    });
    expect((await request(hub.url, 'POST', ImportPaths.start(copy.importId), { token: owner })).status).toBe(202);
    const done = await api.waitDone(copy.importId);
    expect(done.job).toMatchObject({
      state: 'done',
      processed: IMPORT_ROWS,
      created: 0,
      linked: 0,
      skipped: file.good,
      pointsEntered: 0,
      fenEntered: 0,
    });
    expect(await totals(hub)).toEqual(before);
    // Stored once, whatever the number of uploads.
    const files = hub.deps.conn.db?.collection('import_files.files');
    expect(await files?.countDocuments({ _id: done.sha256 as never })).toBe(1);
  });
});

describe('a batch interrupted half way', () => {
  it('is applied again on resume and counted once', async () => {
    const file = generateMemberCsv(300, '131');
    const { importId } = await api.prepare(file.csv, 'cut.csv', 'cutpos');
    const before = await totals(hub);
    await api.idle();
    await startImport(hub.deps, new Types.ObjectId(importId), { kind: 'owner', id: 'test', name: 'owner' });
    // The power goes after 150 opening entries: the second batch of 100 is half applied, its counts saved.
    let posts = 0;
    const real = hub.deps.ledger;
    const failing = {
      post: (input: Parameters<LedgerService['post']>[0]) => {
        if (++posts > 150) return Promise.reject(new Error('power cut'));
        return real.post(input);
      },
    } as unknown as LedgerService;
    await importMembers({ ...hub.deps, ledger: failing }, { importId: new Types.ObjectId(importId), batchSize: 100 });
    const cut = await importModels(hub.deps.conn).Imports.findById(importId).lean();
    expect(cut?.state).toBe('running');
    expect(cut?.job.cursorRow).toBeLessThan(301);
    expect(cut?.job.pending).not.toBeNull();
    expect(cut?.job.error).toBe('导入中断，稍后自动继续');
    expect((await totals(hub)).members - before.members).toBeGreaterThan(cut?.job.created ?? 0);

    await importMembers(hub.deps, { importId: new Types.ObjectId(importId), batchSize: 100 });
    const done = await api.detail(importId);
    expect(done.job).toMatchObject({
      state: 'done',
      processed: 300,
      created: file.good,
      linked: 0,
      skipped: 0,
      bad: file.bad.length,
      pointsEntered: file.points,
      fenEntered: file.fen,
      error: null,
    });
    const after = await totals(hub);
    expect(added(before, after)).toEqual(expectedFrom(file));
    expect(balanced(after)).toEqual(BALANCED);
  });
});

describe('a worker killed with SIGKILL half way', () => {
  const ROWS = 2_000;
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('is resumed by another server copy: exact totals, no entry twice', async () => {
    const file = generateMemberCsv(ROWS, '137');
    const { importId } = await api.prepare(file.csv, 'kill.csv', 'killpos');
    const before = await totals(hub);
    // Queued without the route's own background run: the child process is the server copy that runs it.
    await api.idle();
    await startImport(hub.deps, new Types.ObjectId(importId), { kind: 'owner', id: 'test', name: 'owner' });

    const worker = path.join(__dirname, 'fixtures/imports/worker.ts');
    const proc = spawn(process.execPath, ['--import', 'tsx', worker, hub.databaseUri, importId, '100'], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      proc.stdout?.on('data', (d) => {
        buffer += String(d);
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          const progress = JSON.parse(line) as { processed: number };
          if (progress.processed >= ROWS / 3) {
            proc.kill('SIGKILL');
            resolve(progress.processed);
          }
        }
      });
      proc.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`worker exited ${code}: ${stderr}`));
      });
    });
    await exited;
    child = null;

    const mid = await importModels(hub.deps.conn).Imports.findById(importId).lean();
    expect(mid?.state).toBe('running');
    expect(mid?.job.processed).toBeGreaterThanOrEqual(killedAt);
    expect(mid?.job.processed).toBeLessThan(ROWS);

    // The dead worker's lease holds until it runs out; then this copy takes over (as the scheduler's next tick).
    expect((await importMembers(hub.deps, { importId: new Types.ObjectId(importId) })).ran).toBe(false);
    hub.clock.advance(10 * 60_000);
    expect((await importMembers(hub.deps, { importId: new Types.ObjectId(importId), batchSize: 500 })).ran).toBe(true);

    const done = await api.detail(importId);
    expect(done.job).toMatchObject({
      state: 'done',
      processed: ROWS,
      created: file.good,
      linked: 0,
      skipped: 0,
      bad: file.bad.length,
      pointsEntered: file.points,
      fenEntered: file.fen,
    });
    const after = await totals(hub);
    expect(added(before, after)).toEqual(expectedFrom(file));
    expect(balanced(after)).toEqual(BALANCED);
  });
});

describe('other files', () => {
  it('an XLSX file: dates, numbers and text cells', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('会员');
    sheet.addRow(['会员编号', '姓名', '手机', '生日', '积分', '储值', '会员等级']);
    sheet.addRow(['X1', '王小明', 13600000001, new Date(Date.UTC(1990, 4, 1)), 120, 88.5, '银卡']);
    sheet.addRow(['X2', '李雷', '136-0000-0002', '1988/12/3', 0, 0, '']);
    sheet.addRow([]);
    sheet.addRow(['X3', '韩梅梅', '1360000000', '1990-13-01', 5, 1.234, '青铜']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const up = await upload(bytes, { type: 'application/octet-stream', name: '会员.xlsx' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ format: 'xlsx', encoding: null, rowCount: 3 });
    expect(up.body.preview[0]?.cells).toEqual(['X1', '王小明', '13600000001', '1990-05-01', '120', '88.5', '银卡']);
    expect(up.body.suggestedMapping.columns).toEqual({
      externalId: 0,
      name: 1,
      phone: 2,
      birthday: 3,
      points: 4,
      balance: 5,
      tier: 6,
    });
    const id = up.body.importId;
    const v = await mapColumns(id, up.body.suggestedMapping);
    expect(v.body).toMatchObject({ rows: 3, goodRows: 2, badRows: 1, points: 120, balanceFen: 8850 });
    // Row 5 (the blank row 4 keeps its number): four problems on one row.
    expect((await api.allIssues(id)).map((i) => [i.row, i.column, i.reason])).toEqual([
      [5, 'phone', ImportReasons.phoneInvalid],
      [5, 'birthday', ImportReasons.birthdayInvalid],
      [5, 'balance', ImportReasons.balanceDecimals],
      [5, 'tier', ImportReasons.tierUnknown],
    ]);
    await request(hub.url, 'POST', ImportPaths.start(id), { token: owner });
    expect((await api.waitDone(id)).job).toMatchObject({ created: 2, bad: 1, pointsEntered: 120, fenEntered: 8850 });
    const wang = await hub.deps.identity.findByPhone('13600000001');
    expect(wang).toMatchObject({
      nickname: '王小明',
      birthday: '1990-05-01',
      tier: '银卡',
      points: 120,
      walletPrincipalFen: 8850,
    });
    expect(await hub.deps.identity.findByPhone('13600000002')).toMatchObject({
      birthday: '1988-12-03',
      externalIds: [{ source: 'import', id: 'X2' }],
    });
  });

  it('a GBK CSV as Excel saves it on Chinese Windows', async () => {
    const text =
      '手机号,姓名,积分,余额,等级\r\n13500000001,张三,10,￥1000.00,金卡\r\n13500000002,李四,0,"1,234.5",\r\n';
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const up = await upload(gbk, { type: 'application/vnd.ms-excel', name: '会员.csv' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ encoding: 'gbk', header: ['手机号', '姓名', '积分', '余额', '等级'], rowCount: 2 });
    const v = await mapColumns(up.body.importId, up.body.suggestedMapping);
    expect(v.body).toMatchObject({ goodRows: 2, badRows: 0, points: 10, balanceFen: 100_000 + 123_450 });
    await request(hub.url, 'POST', ImportPaths.start(up.body.importId), { token: owner });
    await api.waitDone(up.body.importId);
    expect(await hub.deps.identity.findByPhone('13500000001')).toMatchObject({
      nickname: '张三',
      tier: '金卡',
      walletPrincipalFen: 100_000,
    });
  });

  it('a UTF-8 CSV with a BOM and a mapping without a header match', async () => {
    const up = await upload(`\uFEFFMobile No,Full Name\r\n13400000001,Li\r\n`, { name: 'x.csv' });
    expect(up.status).toBe(201);
    expect(up.body.header).toEqual(['Mobile No', 'Full Name']);
    expect(up.body.suggestedMapping.columns).toEqual({});
    expect((await mapColumns(up.body.importId, { columns: { phone: 0, name: 1 } })).body).toMatchObject({
      goodRows: 1,
    });
  });
});

describe('bad input: 4xx in the one error shape, and nothing stored', () => {
  const problems = async (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({ code });
  };

  it('refuses wrong types, empty and oversized files', async () => {
    const before = await importModels(hub.deps.conn).Imports.countDocuments();
    await problems(await upload('{"a":1}', { type: 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await problems(await upload('x', { type: 'image/png' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await problems(
      await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), { type: 'application/octet-stream', name: 'old.xls' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await problems(await upload(Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
    await problems(await upload('手机号,姓名\r\n'), 400, 'VALIDATION_FAILED');
    await problems(await upload('手机号,姓名\r\n"13800000000,张三\r\n'), 400, 'VALIDATION_FAILED');
    await problems(
      await upload(Buffer.from('PK\u0003\u0004 not really a zip'), { type: IMPORT_XLSX_MIME, name: 'x.xlsx' }),
      400,
      'VALIDATION_FAILED',
    );
    const big = Buffer.alloc(IMPORT_MAX_BYTES + 1, 'a');
    const tooBig = await upload(big);
    await problems(tooBig, 413, 'PAYLOAD_TOO_LARGE');
    expect(tooBig.body.error?.message).toContain('20 MB');
    expect(await importModels(hub.deps.conn).Imports.countDocuments()).toBe(before);
  });

  it('refuses bad mappings, unknown ids, and steps out of order', async () => {
    const up = await upload('手机号,姓名\r\n13300000001,甲\r\n');
    const id = up.body.importId;
    await problems(await mapColumns(id, { columns: { name: 1 } }), 400, 'VALIDATION_FAILED');
    await problems(await mapColumns(id, { columns: { phone: 5 } }), 400, 'VALIDATION_FAILED');
    await problems(await mapColumns(id, { columns: { phone: 0, name: 0 } }), 400, 'VALIDATION_FAILED');
    await problems(await mapColumns(id, { columns: { phone: 0, shoeSize: 1 } }), 400, 'VALIDATION_FAILED');
    await problems(await mapColumns(id, { columns: { phone: 0 }, externalSource: 'a:b' }), 400, 'VALIDATION_FAILED');
    // Not mapped yet: no dry run, no start.
    await problems(await request(hub.url, 'POST', ImportPaths.dryRun(id), { token: owner }), 409, 'CONFLICT');
    await problems(await request(hub.url, 'POST', ImportPaths.start(id), { token: owner }), 409, 'CONFLICT');
    await problems(await request(hub.url, 'GET', ImportPaths.one('nope'), { token: owner }), 404, 'NOT_FOUND');
    await problems(
      await request(hub.url, 'GET', ImportPaths.one(new Types.ObjectId().toHexString()), { token: owner }),
      404,
      'NOT_FOUND',
    );
    await problems(
      await request(hub.url, 'GET', `${ImportPaths.report(id)}?pageSize=100000`, { token: owner }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await api.detail(id)).state).toBe('uploaded');
    // Once started, the mapping is fixed.
    expect((await mapColumns(id, { columns: { phone: 0, name: 1 } })).status).toBe(200);
    await request(hub.url, 'POST', ImportPaths.start(id), { token: owner });
    await api.waitDone(id);
    await problems(await mapColumns(id, { columns: { phone: 0 } }), 409, 'CONFLICT');
  });

  it('is for owners only', async () => {
    const member = await memberLogin(hub, 'import-nosy');
    await problems(await upload('手机号\r\n13300000009\r\n', { token: member.token }), 403, 'FORBIDDEN');
    await problems(await request(hub.url, 'GET', ImportPaths.uploads), 401, 'UNAUTHENTICATED');
  });
});
