// Throughput of mongo-lite through the official driver, against the same operations on a plain Map (the
// ceiling). The server runs in its own process, as in production, so client and server each get a core.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { encodeOpMsg } from '../src/wire/opMsg';

const DOCS = 100_000;
const OPS = 30_000;
// Eight in flight on eight pooled connections: the driver's best throughput here (64 connections cost it more
// CPU per operation than they gain in overlap on two cores).
const CONCURRENCY = 8;

interface Member {
  _id: number;
  code: string;
  shop: string;
  balance: number;
  tags: string[];
}

const member = (i: number): Member => ({
  _id: i,
  code: `M${i}`,
  shop: `s${i % 50}`,
  balance: 1_000_000,
  tags: ['a', 'b'],
});

async function startServer(): Promise<{ child: ChildProcess; uri: string }> {
  const bin = path.join(__dirname, '..', 'bin', 'mongo-lite.js');
  const child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error('server exited')));
  });
  return { child, uri };
}

/** Runs `op(i)` for i in [0, total) with `CONCURRENCY` in flight; returns ops per second. */
async function rate(total: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/**
 * Server capacity without the driver: the same find commands pipelined on one socket. The driver costs the
 * client more CPU per op than the server spends, so on 2 shared cores the driver-bound number understates it.
 */
async function rawFindOneRate(uri: string): Promise<number> {
  const { hostname, port } = new URL(uri.replace('mongodb://', 'http://'));
  const requests = Array.from({ length: OPS }, (_, i) =>
    encodeOpMsg(0, {
      find: 'members',
      filter: { code: `M${(i * 7919) % DOCS}` },
      limit: 1,
      singleBatch: true,
      $db: 'bench',
    }),
  );
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let pending = Buffer.alloc(0);
    let replies = 0;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        pending = pending.subarray(pending.readInt32LE(0));
        if (++replies === OPS) resolve();
      }
    });
    socket.write(Buffer.concat(requests));
  });
  socket.destroy();
  return OPS / ((performance.now() - started) / 1000);
}

function mapCeiling(): { insert: number; findOne: number; inc: number } {
  const map = new Map<string, Member>();
  const time = (fn: () => void, n: number) => {
    const started = performance.now();
    fn();
    return n / ((performance.now() - started) / 1000);
  };
  const insert = time(() => {
    for (let i = 0; i < DOCS; i++) map.set(`M${i}`, member(i));
  }, DOCS);
  let found = 0;
  const findOne = time(() => {
    for (let i = 0; i < OPS; i++) if (map.get(`M${(i * 7919) % DOCS}`)) found++;
  }, OPS);
  const inc = time(() => {
    for (let i = 0; i < OPS; i++) {
      const doc = map.get(`M${(i * 7919) % DOCS}`);
      if (doc && doc.balance >= 1) map.set(doc.code, { ...doc, balance: doc.balance - 1 });
    }
  }, OPS);
  if (found !== OPS) throw new Error('map lookup failed');
  return { insert, findOne, inc };
}

async function main(): Promise<void> {
  const { child, uri } = await startServer();
  const client = await MongoClient.connect(uri, { maxPoolSize: CONCURRENCY });
  try {
    const db = client.db('bench');
    const coll = db.collection<Member>('members');
    await coll.createIndex({ code: 1 }, { unique: true });

    const batch = 1000;
    const insert = await rate(DOCS / batch, (b) =>
      coll.insertMany(
        Array.from({ length: batch }, (_, k) => member(b * batch + k)),
        { ordered: false },
      ),
    );
    const insertsPerSec = insert * batch;
    // The collection's footprint, measured before the read/write loops add their own transient garbage.
    const loaded = (await db.admin().command({ serverStatus: 1 })).mem;
    const findOne = await rate(OPS, (i) => coll.findOne({ code: `M${(i * 7919) % DOCS}` }));
    const inc = await rate(OPS, (i) =>
      coll.updateOne({ code: `M${(i * 7919) % DOCS}`, balance: { $gte: 1 } }, { $inc: { balance: -1 } }),
    );
    const rawFindOne = await rawFindOneRate(uri);
    const afterWork = (await db.admin().command({ serverStatus: 1 })).mem;
    const ceiling = mapCeiling();

    const row = (name: string, ours: number, map: number) =>
      `${name.padEnd(22)} ${Math.round(ours).toLocaleString('en').padStart(10)}/s   Map ${Math.round(map).toLocaleString('en').padStart(12)}/s   ratio ${(ours / map).toExponential(2)}`;
    console.log(
      `mongo-lite benchmark: ${DOCS.toLocaleString('en')} documents, ${OPS.toLocaleString('en')} ops, ${CONCURRENCY} in flight`,
    );
    console.log(row('insert (insertMany×1000)', insertsPerSec, ceiling.insert));
    console.log(row('indexed findOne', findOne, ceiling.findOne));
    console.log(row('conditional $inc', inc, ceiling.inc));
    console.log(row('findOne, raw wire', rawFindOne, ceiling.findOne));
    console.log(
      `server memory with ${DOCS.toLocaleString('en')} docs loaded: RSS ${loaded.resident} MB, heap used ${loaded.heapUsedMB} MB; ` +
        `after the loops: RSS ${afterWork.resident} MB, heap used ${afterWork.heapUsedMB} MB`,
    );
    console.log(
      `driver-bound: findOne through the driver reaches ${((findOne / rawFindOne) * 100).toFixed(0)}% of what the server answers on one raw socket`,
    );
  } finally {
    await client.close();
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
