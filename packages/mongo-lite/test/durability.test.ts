// Engine internals: these need mongo-lite's data directory, so they do not run against MONGODB_URI.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startMongoLite } from '../src';
import { usingRealMongo } from './target';

const describeLite = usingRealMongo ? describe.skip : describe;
const BIN = path.join(__dirname, '..', 'bin', 'mongo-lite.js');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-lite-'));
}

function startChild(dataDir: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve({ child, uri: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`mongo-lite exited early (${code})`)));
  });
}

describeLite('durability', () => {
  test('every acknowledged write survives kill -9 of the server mid-write', async () => {
    const dataDir = tempDir();
    const { child, uri } = await startChild(dataDir);
    const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 2000, retryWrites: false });
    const coll = client.db('app').collection('events');
    await coll.createIndex({ seq: 1 }, { unique: true });
    const acknowledged: number[] = [];
    let committedTransfers = 0;
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const seq = w * 1_000_000 + i;
        try {
          await coll.insertOne({ seq, payload: 'x'.repeat(200) });
          acknowledged.push(seq);
        } catch {
          return;
        }
      }
    });
    const transfers = (async () => {
      await coll.insertOne({ _id: 'balance' as never, seq: -1, a: 1000, b: 0 });
      while (!stop) {
        const session = client.startSession();
        try {
          await session.withTransaction(async () => {
            await coll.updateOne({ _id: 'balance' as never }, { $inc: { a: -1 } }, { session });
            await coll.updateOne({ _id: 'balance' as never }, { $inc: { b: 1 } }, { session });
          });
          committedTransfers++;
        } catch {
          return;
        } finally {
          await session.endSession().catch(() => undefined);
        }
      }
    })();
    while (acknowledged.length < 1500) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all([...writers, transfers]);
    await client.close(true);

    const restarted = await startMongoLite({ dataDir });
    const after = await MongoClient.connect(restarted.uri);
    try {
      const events = after.db('app').collection('events');
      const stored = new Set(
        (await events.find({ seq: { $gte: 0 } }, { projection: { seq: 1 } }).toArray()).map((d) => d.seq),
      );
      const missing = acknowledged.filter((seq) => !stored.has(seq));
      expect(missing).toEqual([]);
      const balance = await events.findOne({ _id: 'balance' as never });
      // Transfers are all-or-nothing: the two sides always add up, and none acknowledged is lost.
      expect((balance?.a as number) + (balance?.b as number)).toBe(1000);
      expect(balance?.b).toBeGreaterThanOrEqual(committedTransfers);
      const indexes = await events.listIndexes().toArray();
      expect(indexes.map((i) => i.name)).toContain('seq_1');
    } finally {
      await after.close();
      await restarted.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  test('the journal is compacted on start when it is much larger than the data, and a torn tail is dropped', async () => {
    const dataDir = tempDir();
    const first = await startMongoLite({ dataDir });
    const client = await MongoClient.connect(first.uri);
    const coll = client.db('app').collection('counters');
    await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i as never, n: 0 })));
    for (let round = 0; round < 20; round++) await coll.updateMany({}, { $inc: { n: 1 } });
    await client.close();
    await first.stop();
    const journal = path.join(dataDir, 'journal.bin');
    const before = fs.statSync(journal).size;
    fs.appendFileSync(journal, Buffer.from([0xff, 0x00, 0x00, 0x00, 0x01, 0x02]));

    const second = await startMongoLite({ dataDir });
    const after = fs.statSync(journal).size;
    expect(after).toBeLessThan(before / 5);
    const reader = await MongoClient.connect(second.uri);
    try {
      const docs = await reader.db('app').collection('counters').find().toArray();
      expect(docs).toHaveLength(200);
      expect(docs.every((d) => d.n === 20)).toBe(true);
    } finally {
      await reader.close();
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('stop() returns promptly with clients and awaitable hellos still connected', async () => {
    const server = await startMongoLite();
    const client = await MongoClient.connect(server.uri, { heartbeatFrequencyMS: 500 });
    await client.db('admin').command({ ping: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(500);
    await client.close(true);
  });
});
