// The server a conformance test talks to: a real MongoDB when MONGODB_URI is set, else a fresh mongo-lite.
// Tests that need engine internals (kill -9, compaction, TTL sweep speed) check `lite` and skip otherwise.
import { MongoClient } from 'mongodb';
import { type MongoLite, startMongoLite } from '../src';

export interface Target {
  uri: string;
  lite?: MongoLite;
  client: MongoClient;
  stop(): Promise<void>;
}

export const usingRealMongo = process.env.MONGODB_URI !== undefined;

export async function startTarget(options: { ttlSweepMs?: number } = {}): Promise<Target> {
  const lite = usingRealMongo ? undefined : await startMongoLite(options);
  const uri = process.env.MONGODB_URI ?? (lite as MongoLite).uri;
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  return {
    uri,
    lite,
    client,
    async stop() {
      await client.close();
      await lite?.stop();
    },
  };
}

let counter = 0;
/** A database name no other test (or earlier run against a real server) uses. */
export function freshDbName(prefix: string): string {
  counter++;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
