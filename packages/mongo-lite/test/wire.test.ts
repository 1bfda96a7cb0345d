import { Binary, Long, ObjectId, UUID } from 'bson';
import { RawClient } from './rawClient';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let raw: RawClient;
const dbName = freshDbName('wire');

beforeAll(async () => {
  target = await startTarget();
  raw = await RawClient.connect(target.uri.split('/?')[0] as string);
});
afterAll(async () => {
  raw.close();
  await target.client.db(dbName).dropDatabase();
  await target.stop();
});

test('legacy OP_QUERY isMaster is answered with OP_REPLY describing a replica-set primary', async () => {
  const reply = await raw.legacyQuery({ isMaster: 1, helloOk: true });
  expect(reply.ok).toBe(1);
  expect(reply.ismaster).toBe(true);
  expect(reply.maxWireVersion).toBeGreaterThanOrEqual(21);
  expect(typeof reply.setName).toBe('string');
  expect(reply.hosts).toContain(reply.me);
});

test('OP_MSG document sequences are merged into the command', async () => {
  const reply = await raw.command(
    { insert: 'seq', $db: dbName },
    { sequences: { documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] } },
  );
  expect(reply).toMatchObject({ ok: 1, n: 3 });
  const found = await raw.command({ find: 'seq', filter: {}, $db: dbName });
  expect(found.cursor.firstBatch).toHaveLength(3);
});

test('OP_MSG with a checksum is accepted', async () => {
  const reply = await raw.command({ ping: 1, $db: 'admin' }, { checksum: true });
  expect(reply.ok).toBe(1);
});

test('replies carry $clusterTime and operationTime', async () => {
  const reply = await raw.command({ ping: 1, $db: 'admin' });
  expect(reply.$clusterTime?.clusterTime).toBeDefined();
  expect(reply.operationTime).toBeDefined();
});

test('a retried write with the same lsid + txnNumber is applied once and returns the first result', async () => {
  const lsid = { id: new UUID() };
  const write = {
    update: 'retry',
    updates: [{ q: { _id: 'counter' }, u: { $inc: { n: 1 } }, upsert: true }],
    lsid,
    txnNumber: Long.fromNumber(1),
    $db: dbName,
  };
  const first = await raw.command(write);
  const retried = await raw.command(write);
  expect(retried.n).toBe(first.n);
  expect(retried.upserted).toEqual(first.upserted);
  const next = await raw.command({ ...write, txnNumber: Long.fromNumber(2) });
  expect(next).toMatchObject({ ok: 1, n: 1, nModified: 1 });
  const found = await raw.command({ find: 'retry', filter: { _id: 'counter' }, $db: dbName });
  expect(found.cursor.firstBatch[0].n).toBe(2);
  const stale = await raw.command({ ...write, txnNumber: Long.fromNumber(1) });
  expect(stale).toMatchObject({ ok: 0, code: 225 });
  expect(new Binary(lsid.id.buffer).length()).toBe(16);
});

test('awaitable hello waits for maxAwaitTimeMS instead of answering at once', async () => {
  const first = await raw.command({ hello: 1, $db: 'admin' });
  const started = Date.now();
  const reply = await raw.command({
    hello: 1,
    topologyVersion: first.topologyVersion,
    maxAwaitTimeMS: 300,
    $db: 'admin',
  });
  expect(reply.ok).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  expect(first.topologyVersion.processId).toBeInstanceOf(ObjectId);
});
