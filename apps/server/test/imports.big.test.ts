// The whole 100,000-row member base imported, then a re-uploaded copy imported again (which must change nothing).
// Separate from imports.test.ts, and only run with IMPORT_BIG_TEST=1, because it takes a long time: every row goes
// through the identity and ledger services (find-or-create, opening entries), about four engine round trips per
// row. Measured on 2 cores: 10,000 rows in 30 s when idle (so about 5 min for 100,000); the full run took 33 min
// for the import and 1 min for the re-import with the cores shared (load average 9-13). The job
// runs in a child process, as a second server copy would, so the app and the embedded engine get a core each.
//   IMPORT_BIG_TEST=1 npx jest apps/server/test/imports.big.test.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Types } from 'mongoose';
import { startImport } from '../src/modules/imports/service';
import { BALANCED, balanced, importClient, totals } from './fixtures/imports/client';
import { generateMemberCsv } from './fixtures/imports/generate';
import { ownerToken } from './helpers/factories';
import { startTestHub, type TestHub } from './helpers/testHub';

const ROWS = 100_000;
const MINUTES = 60_000;

let hub: TestHub;
let owner: string;
let api: ReturnType<typeof importClient>;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  api = importClient(hub, () => owner);
});
afterAll(async () => {
  await hub.stop();
});

/** Runs the import job in a child process until it has nothing left to do. */
function runWorker(importId: string): Promise<void> {
  const worker = path.join(__dirname, 'fixtures/imports/worker.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', worker, hub.databaseUri, importId, '500'], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) =>
    proc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr}`)))),
  );
}

const runBig = process.env.IMPORT_BIG_TEST === '1' ? it : it.skip;

runBig(
  `imports ${ROWS.toLocaleString('en-US')} rows with exact totals; a re-uploaded copy changes nothing`,
  async () => {
    const file = generateMemberCsv(ROWS, '139');
    const timings: Record<string, number> = {};
    let t = Date.now();
    const first = await api.prepare(file.csv, '老系统会员.csv', 'oldpos');
    timings.uploadAndValidate = Date.now() - t;
    const before = await totals(hub);

    await startImport(hub.deps, new Types.ObjectId(first.importId), { kind: 'owner', id: 'test', name: 'owner' });
    t = Date.now();
    await runWorker(first.importId);
    timings.import = Date.now() - t;
    const done = await api.detail(first.importId);
    expect(done.job).toMatchObject({
      state: 'done',
      processed: ROWS,
      created: file.good,
      linked: 0,
      skipped: 0,
      bad: ROWS / 100,
      pointsEntered: file.points,
      fenEntered: file.fen,
    });
    const after = await totals(hub);
    expect({
      members: after.members - before.members,
      imported: after.imported,
      tierChanges: after.tierChanges,
    }).toEqual({
      members: file.good,
      imported: { points: file.points, fen: file.fen, pointsEntries: file.withPoints, fenEntries: file.withFen },
      tierChanges: file.withTierUp,
    });
    expect(balanced(after)).toEqual(BALANCED);

    t = Date.now();
    const copy = await api.prepare(file.csv, '老系统会员(1).csv', 'oldpos');
    await startImport(hub.deps, new Types.ObjectId(copy.importId), { kind: 'owner', id: 'test', name: 'owner' });
    await runWorker(copy.importId);
    timings.reimport = Date.now() - t;
    expect((await api.detail(copy.importId)).job).toMatchObject({
      state: 'done',
      created: 0,
      linked: 0,
      skipped: file.good,
      pointsEntered: 0,
      fenEntered: 0,
    });
    expect(await totals(hub)).toEqual(after);
    process.stdout.write(`100k import timings (ms): ${JSON.stringify(timings)}\n`);
  },
  90 * MINUTES,
);
