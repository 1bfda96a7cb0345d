// Append-only journal. Each record is [u32 payload length][u32 CRC-32C][payload = BSON op documents] written
// with one synchronous write before the client is answered: once write(2) returns the bytes are in the OS page
// cache, so an acknowledged write survives kill -9 (not power loss; that would need fsync per write). A record
// holds every op of one command or one committed transaction, so replay is all-or-nothing per record; a torn
// tail record (crash mid-write) fails its length or CRC check and is cut off.
import fs from 'node:fs';
import path from 'node:path';
import { type Document, deserialize, serialize } from 'bson';
import { crc32c } from '../wire/crc32c';

export type JournalOp =
  | { t: 'put'; db: string; c: string; d: Document }
  | { t: 'del'; db: string; c: string; id: unknown }
  | { t: 'createColl'; db: string; c: string }
  | { t: 'dropColl'; db: string; c: string }
  | { t: 'dropDb'; db: string }
  | { t: 'createIdx'; db: string; c: string; spec: Document }
  | { t: 'dropIdx'; db: string; c: string; name: string }
  | { t: 'rename'; db: string; c: string; toDb: string; toC: string };

const HEADER = 8;

export class Journal {
  private constructor(
    private fd: number,
    readonly file: string,
    public size: number,
  ) {}

  /** Opens (creating if needed) the journal, returns the intact records and drops any torn tail. */
  static open(dir: string): { journal: Journal; records: JournalOp[][] } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.bin');
    const bytes = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    const records: JournalOp[][] = [];
    let offset = 0;
    while (offset + HEADER <= bytes.length) {
      const length = bytes.readUInt32LE(offset);
      const end = offset + HEADER + length;
      if (end > bytes.length || crc32c(bytes, offset + HEADER, end) !== bytes.readUInt32LE(offset + 4)) break;
      records.push(decodeOps(bytes.subarray(offset + HEADER, end)));
      offset = end;
    }
    if (offset < bytes.length) fs.truncateSync(file, offset);
    const fd = fs.openSync(file, 'a');
    return { journal: new Journal(fd, file, offset), records };
  }

  append(ops: JournalOp[]): void {
    if (ops.length === 0) return;
    const record = encodeRecord(ops);
    fs.writeSync(this.fd, record);
    this.size += record.length;
  }

  /** Replaces the journal with a snapshot (the ops that rebuild the current state), atomically via rename. */
  rewrite(snapshot: Iterable<JournalOp[]>): void {
    const tmp = `${this.file}.compact`;
    const fd = fs.openSync(tmp, 'w');
    let size = 0;
    for (const ops of snapshot) {
      const record = encodeRecord(ops);
      fs.writeSync(fd, record);
      size += record.length;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
    this.size = size;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function encodeRecord(ops: JournalOp[]): Buffer {
  const payload = Buffer.concat(ops.map((op) => serialize(op)));
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32c(payload), 4);
  return Buffer.concat([header, payload]);
}

function decodeOps(payload: Buffer): JournalOp[] {
  const ops: JournalOp[] = [];
  let p = 0;
  while (p < payload.length) {
    const size = payload.readInt32LE(p);
    ops.push(deserialize(payload.subarray(p, p + size)) as JournalOp);
    p += size;
  }
  return ops;
}
