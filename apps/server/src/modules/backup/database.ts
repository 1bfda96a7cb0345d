// The database the backup and restore commands work on, and nothing else of the hub: no WeChat sandbox, no HTTP
// server, no first owner or default coupon templates (a restore needs the database exactly as empty as it is).
// MONGODB_URI when set; else the embedded mongo-lite on the configured journal (DATA_DIR).
import mongoose, { type Connection } from 'mongoose';
import type { AppConfig } from '../../config';

export interface CommandDatabase {
  conn: Connection;
  /** Where, for messages: the URI without its password, or the journal directory. */
  where: string;
  close(): Promise<void>;
}

function withoutPassword(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'MONGODB_URI';
  }
}

export async function openCommandDatabase(config: AppConfig): Promise<CommandDatabase> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const step of closers.reverse()) await step();
  };
  let uri = config.database.uri;
  let where = uri ? withoutPassword(uri) : '';
  try {
    if (!uri) {
      const dataDir = config.database.dataDir;
      if (!dataDir) throw new Error('no database to work on: set MONGODB_URI, or DATA_DIR for the embedded engine');
      // Loaded only here, like the server does: a production build has no mongo-lite and always has MONGODB_URI.
      const { startMongoLite } = await import('@member-hub/mongo-lite');
      const engine = await startMongoLite({ port: 0, dataDir });
      closers.push(() => engine.stop());
      uri = engine.uri;
      where = `mongo-lite journal ${dataDir}`;
    }
    const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
    closers.push(() => conn.close());
    await conn.asPromise();
    return { conn, where, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
