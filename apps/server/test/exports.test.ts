// CSV exports over HTTP: members (phones masked unless the owner holds the permission and asks), points and wallet
// ledgers, the RFM list and the churn list; each parsed back, each audited; a large export is streamed with
// backpressure rather than built in memory.
import http from 'node:http';
import {
  ApiPaths,
  ChurnExportColumns,
  ExportPaths,
  formatFen,
  LedgerExportColumns,
  MemberExportColumns,
  RfmExportColumns,
} from '@member-hub/shared';
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { rfmDaily } from '../src/jobs/rfmDaily';
import { auditModel } from '../src/modules/audit/model';
import { memberModel } from '../src/modules/members/model';
import { DAY_MS } from '../src/modules/rfm/scoring';
import { importClient } from './fixtures/imports/client';
import { ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

// The engine runs in this process and machines are shared: a ceiling, not an expectation.
jest.setTimeout(300_000);

let hub: TestHub;
let owner: string;
let clerk: string;
const CLERK = { username: 'clerk', password: 'clerk-password-1' };

/** The shop's existing members, brought in by an import (names that need quoting included). */
const CSV = [
  '手机号,姓名,生日,积分,余额,等级',
  '13800000001,张三,1990-05-01,120,12.34,银卡',
  '13800000002,"王,""小""',
  '明",,0,0,',
  '13800000003,李四,1988/12/3,5000,1000,金卡',
].join('\r\n');

async function login(username: string, password: string): Promise<string> {
  const res = await request(hub.url, 'POST', ApiPaths.ownerLogin, { json: { username, password } });
  if (res.status !== 200) throw new Error(`login: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  // A second owner account, without the export-personal-data permission.
  await hub.deps.owners.upsertOwner(CLERK.username, CLERK.password);
  clerk = await login(CLERK.username, CLERK.password);
  const api = importClient(hub, () => owner);
  const up = await api.upload(CSV, { name: 'members.csv' });
  await api.mapColumns(up.body.importId, up.body.suggestedMapping);
  await request(hub.url, 'POST', `/api/v1/admin/imports/${up.body.importId}/start`, { token: owner });
  await api.waitDone(up.body.importId);
});
afterAll(async () => {
  await hub.stop();
});

async function download(path: string, token: string) {
  const res = await fetch(new URL(path, hub.url), { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

/** The CSV as Excel would read it: BOM first, then RFC 4180 rows. */
function rowsOf(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.subarray(3), { relax_column_count: false }) as string[][];
}

const audits = (action: string) =>
  auditModel(hub.deps.conn).find({ action }).sort({ _id: 1 }).lean<{ details: Record<string, unknown> }[]>();

/** The end-of-export record is written when the stream ends, a moment after the client has the last byte. */
async function finishedRecord(exportId: unknown, action: string) {
  for (let i = 0; i < 100; i++) {
    const found = (await audits(action)).find((a) => a.details.exportId === exportId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${action} record`);
}

describe('members export', () => {
  it('masks phones by default, parses back, and is audited at start and end', async () => {
    const res = await download(`${ExportPaths.members}?tier=${encodeURIComponent('银卡')}`, owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename=.*filename\*=UTF-8''%E4%BC%9A%E5%91%98-\d{12}\.csv$/,
    );
    const [header, ...rows] = rowsOf(res.bytes);
    expect(header).toEqual([...MemberExportColumns]);
    expect(rows).toHaveLength(1);
    const member = await hub.deps.identity.findByPhone('13800000001');
    expect(rows[0]).toEqual([
      member?.memberNo,
      '138****0001',
      '张三',
      '银卡',
      '120',
      '¥12.34',
      '0',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      '1990-05-01',
    ]);

    const start = (await audits('export.members')).at(-1);
    expect(start?.details).toMatchObject({ filters: { tier: '银卡' }, masked: true });
    const end = await finishedRecord(start?.details.exportId, 'export.members.finished');
    expect(end.details).toMatchObject({ rows: 1, completed: true, masked: true });
  });

  it('quotes what needs quoting: a comma, quotes and a newline in a name', async () => {
    const [, ...rows] = rowsOf((await download(ExportPaths.members, owner)).bytes);
    expect(rows.map((r) => r[2])).toContain('王,"小"\r\n明');
    expect(rows.map((r) => r[5])).toContain('¥1,000.00');
  });

  it('full phones only for an owner with the permission who asks; asking without it is refused and audited nothing', async () => {
    const full = rowsOf((await download(`${ExportPaths.members}?phone=full`, owner)).bytes);
    expect(
      full
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['13800000001', '13800000002', '13800000003']);
    expect((await audits('export.members')).at(-1)?.details).toMatchObject({ masked: false });

    const before = (await audits('export.members')).length;
    const refused = await request(hub.url, 'GET', `${ExportPaths.members}?phone=full`, { token: clerk });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await audits('export.members')).length).toBe(before);
    // Masked is fine for them.
    const masked = rowsOf((await download(ExportPaths.members, clerk)).bytes);
    expect(masked.slice(1).every((r) => /^\d{3}\*{4}\d{4}$/.test(r[1] as string))).toBe(true);

    // Granted (create-owner --export-personal-data does this), it takes effect at once: permissions are read fresh.
    await hub.deps.owners.upsertOwner(CLERK.username, CLERK.password, ['export_personal_data']);
    expect((await download(`${ExportPaths.members}?phone=full`, clerk)).status).toBe(200);
  });

  it('bad filters are 400 in the one shape; members and staff cannot export', async () => {
    for (const query of ['?tier=钻石', '?joinedFrom=2026-13-01', '?phone=clear', '?limit=5']) {
      const res = await request(hub.url, 'GET', `${ExportPaths.members}${query}`, { token: owner });
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await request(hub.url, 'GET', ExportPaths.members)).status).toBe(401);
  });
});

describe('ledger export', () => {
  it('points: every opening entry, amounts that sum to the balances', async () => {
    const [header, ...rows] = rowsOf((await download(ExportPaths.ledger, owner)).bytes);
    expect(header).toEqual([...LedgerExportColumns]);
    expect(rows.map((r) => r[2])).toEqual(['积分', '积分']);
    expect(rows.map((r) => r[4])).toEqual(['导入', '导入']);
    expect(rows.reduce((sum, r) => sum + Number(r[3]), 0)).toBe(5120);
    const zhang = await hub.deps.identity.findByPhone('13800000001');
    const one = rowsOf((await download(`${ExportPaths.ledger}?memberNo=${zhang?.memberNo}`, owner)).bytes);
    expect(one.slice(1).map((r) => [r[1], r[3], r[5]])).toEqual([[zhang?.memberNo, '120', '导入期初积分 +120']]);
  });

  it('wallet: amounts in yuan; date ranges; unknown members are 404 before any byte', async () => {
    const rows = rowsOf((await download(`${ExportPaths.ledger}?account=wallet`, owner)).bytes).slice(1);
    expect(rows.map((r) => [r[2], r[3]]).sort()).toEqual([
      ['储值本金', '¥1,000.00'],
      ['储值本金', '¥12.34'],
    ]);
    const today = new Date(hub.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(rowsOf((await download(`${ExportPaths.ledger}?from=${today}&to=${today}`, owner)).bytes)).toHaveLength(3);
    expect(rowsOf((await download(`${ExportPaths.ledger}?from=2000-01-01&to=2000-01-31`, owner)).bytes)).toHaveLength(
      1,
    );
    const unknown = await request(hub.url, 'GET', `${ExportPaths.ledger}?memberNo=99999999`, { token: owner });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const bad = await request(hub.url, 'GET', `${ExportPaths.ledger}?account=growth`, { token: owner });
    expect(bad.status).toBe(400);
    // Refused requests wrote nothing: the last record is the last export that ran.
    const start = (await audits('export.ledger')).at(-1);
    expect(start?.details).toMatchObject({ filters: { account: 'points', from: '2000-01-01', to: '2000-01-31' } });
  });
});

describe('RFM and churn exports', () => {
  it('export the current run: the same members and classes the pages show', async () => {
    // Before any run: the header only.
    expect(rowsOf((await download(ExportPaths.rfm, owner)).bytes)).toEqual([[...RfmExportColumns]]);
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    const zhang = await hub.deps.identity.findByPhone('13800000001');
    const li = await hub.deps.identity.findByPhone('13800000003');
    const order = (memberId: Types.ObjectId, daysAgo: number, paidFen: number) => ({
      _id: new Types.ObjectId(),
      source: 'till',
      externalId: `export-${new Types.ObjectId().toHexString()}`,
      requestHash: 'x',
      memberId,
      storeId: null,
      staffId: null,
      amountFen: paidFen,
      paidFen,
      refundedFen: 0,
      status: 'paid',
      items: [],
      createdAt: new Date(hub.clock.now() - daysAgo * DAY_MS),
    });
    // 张三 came every 10 days and has been away 80: a churn warning. 李四 came twice, recently.
    await db
      .collection('orders')
      .insertMany([
        order(zhang?._id as Types.ObjectId, 100, 10_000),
        order(zhang?._id as Types.ObjectId, 90, 10_000),
        order(zhang?._id as Types.ObjectId, 80, 10_000),
        order(li?._id as Types.ObjectId, 3, 5_000),
        order(li?._id as Types.ObjectId, 1, 5_000),
      ]);
    await rfmDaily(hub.deps);

    const [header, ...rows] = rowsOf((await download(ExportPaths.rfm, owner)).bytes);
    expect(header).toEqual([...RfmExportColumns]);
    const page = await request(hub.url, 'GET', '/api/v1/admin/rfm/members?pageSize=100', { token: owner });
    expect(rows).toHaveLength(page.body.total);
    const byNo = new Map(rows.map((r) => [r[0], r]));
    for (const m of page.body.items) expect(byNo.get(m.memberNo)?.[2]).toBe(m.className);
    expect(byNo.get(zhang?.memberNo as string)).toEqual(expect.arrayContaining(['3', formatFen(30_000), '是']));

    const [churnHeader, ...churn] = rowsOf((await download(ExportPaths.churn, owner)).bytes);
    expect(churnHeader).toEqual([...ChurnExportColumns]);
    expect(churn.map((r) => [r[0], r[4], r[5], r[6], r[8]])).toEqual([
      [zhang?.memberNo, '80', '10', '8.00 倍', '¥300.00'],
    ]);
    const classOnly = rowsOf((await download(`${ExportPaths.rfm}?class=none`, owner)).bytes).slice(1);
    expect(classOnly.every((r) => r[2] === '窗口内无消费')).toBe(true);
    expect(classOnly).toHaveLength(1);
    expect((await audits('export.churn')).length).toBe(1);
  });
});

describe('a large export', () => {
  const COUNT = 25_000;

  beforeAll(async () => {
    // Straight into the engine (like the RFM tests): the point here is the export, not how members arrive.
    const members = memberModel(hub.deps.conn).collection;
    const long = '长'.repeat(30);
    for (let start = 0; start < COUNT; start += 5_000) {
      const docs = Array.from({ length: 5_000 }, (_, j) => {
        const n = start + j;
        const phone = `137${String(n).padStart(8, '0')}`;
        return {
          _id: new Types.ObjectId(),
          memberNo: String(50_000_000 + n),
          status: 'active',
          identityKeys: [hub.deps.identity.phoneKey(phone)],
          phone: hub.deps.identity.sealPhone(phone),
          nickname: `${long}${n}`,
          tier: '普通会员',
          points: n,
          growth: 0,
          walletPrincipalFen: 0,
          walletBonusFen: 0,
          birthday: null,
          createdAt: new Date(hub.clock.now()),
        };
      });
      await members.insertMany(docs);
    }
  });

  it('is streamed: chunked, and a client that stops reading stops the reads', async () => {
    const total = await memberModel(hub.deps.conn).countDocuments({ status: 'active' });
    const url = new URL(ExportPaths.members, hub.url);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(url, { headers: { authorization: `Bearer ${owner}` } }, resolve).once('error', reject),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    // Take the first bytes, then stop reading for a while: the server must be waiting on us, not done.
    await new Promise((r) => res.once('data', r));
    res.pause();
    await new Promise((r) => setTimeout(r, 1_000));
    const start = (await audits('export.members')).at(-1);
    const finishedEarly = (await audits('export.members.finished')).some(
      (a) => a.details.exportId === start?.details.exportId,
    );
    expect(finishedEarly).toBe(false);
    const receivedWhilePaused = chunks.reduce((n, c) => n + c.length, 0);
    res.resume();
    await new Promise((r) => res.once('end', r));
    const bytes = Buffer.concat(chunks);
    expect(receivedWhilePaused).toBeLessThan(bytes.length / 2);
    expect(chunks.length).toBeGreaterThan(10);
    expect(rowsOf(bytes)).toHaveLength(total + 1);
    const end = await finishedRecord(start?.details.exportId, 'export.members.finished');
    expect(end.details).toMatchObject({ rows: total, completed: true });
  });

  it('a client that goes away ends the export (audited as incomplete)', async () => {
    const url = new URL(ExportPaths.members, hub.url);
    const req = http.get(url, { headers: { authorization: `Bearer ${owner}` } });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    await new Promise((r) => res.once('data', r));
    req.destroy();
    const start = (await audits('export.members')).at(-1);
    const end = await finishedRecord(start?.details.exportId, 'export.members.finished');
    expect(end.details.completed).toBe(false);
    expect(end.details.rows).toBeLessThan(COUNT);
  });
});
