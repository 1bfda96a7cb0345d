// Server-side cursors. Results are computed when the cursor opens (documents are immutable snapshots, see
// storage/collection.ts) and handed out batch by batch; idle cursors expire like MongoDB's (10 minutes).
import { calculateObjectSize, type Document, Long } from 'bson';
import { errors } from './errors';

/** Stay under the 16 MiB BSON limit for the reply that carries a batch. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const DEFAULT_FIRST_BATCH = 101;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

export class CursorStore {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1;

  /** The reply for find/aggregate/listX: the first batch, and a cursor id when more remain. */
  firstBatch(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!singleBatch && cursor.position < docs.length) {
      id = this.nextId++;
      this.cursors.set(id, cursor);
    }
    return { cursor: { firstBatch: batch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Document {
    this.expireIdle();
    const cursor = this.cursors.get(id);
    if (!cursor || cursor.ns !== ns) throw errors.cursorNotFound(id);
    cursor.lastUsed = Date.now();
    const batch = takeBatch(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    let nextId = id;
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      nextId = 0;
    }
    return { cursor: { nextBatch: batch, id: Long.fromNumber(nextId), ns }, ok: 1 };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  clear(): void {
    this.cursors.clear();
  }

  private expireIdle(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(id);
  }
}

function takeBatch(cursor: OpenCursor, batchSize: number): Document[] {
  const limit = batchSize === 0 ? Number.POSITIVE_INFINITY : batchSize;
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position] as Document;
    bytes += calculateObjectSize(doc);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}
