// The storage engine: databases -> collections, document writes with transaction locks and undo, the journal
// and the TTL sweep. Every method is synchronous, so a write command (run on Node's single thread) can never
// interleave with another inside a document.
import { calculateObjectSize, type Document } from 'bson';
import { errors } from '../errors';
import type { Transaction } from '../txn';
import { Collection } from './collection';
import type { IndexSpec } from './indexes';
import { Journal, type JournalOp } from './journal';
import { valueKey } from './values';

export interface WriteContext {
  txn?: Transaction;
}

/** Thrown when a document is locked by another open transaction; the caller waits or reports WriteConflict. */
export class LockConflict extends Error {
  constructor(readonly owner: Transaction) {
    super('document locked by another transaction');
  }
}

/** Compact on start when the journal is this many times the live data (and above a small floor). */
const COMPACT_RATIO = 2;
const COMPACT_MIN_BYTES = 64 * 1024;
const SNAPSHOT_DOCS_PER_RECORD = 1000;

export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private readonly locks = new Map<string, Transaction>();
  private pending: JournalOp[] = [];
  private journal?: Journal;

  /** In-memory when `dataDir` is undefined; otherwise replays (and maybe compacts) the journal there. */
  static open(dataDir?: string): Engine {
    const engine = new Engine();
    if (dataDir === undefined) return engine;
    const { journal, records } = Journal.open(dataDir);
    for (const ops of records) for (const op of ops) engine.apply(op);
    const live = engine.liveBytes();
    if (journal.size > COMPACT_MIN_BYTES && journal.size > COMPACT_RATIO * live) journal.rewrite(engine.snapshot());
    engine.journal = journal;
    return engine;
  }

  get journalBytes(): number {
    return this.journal?.size ?? 0;
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Collections spring into existence on first write, as in MongoDB. */
  collectionForWrite(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name);
  }

  createCollection(db: string, name: string): Collection {
    if (this.collection(db, name)) throw errors.namespaceExists(`${db}.${name}`);
    const coll = new Collection(db, name);
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    colls.set(name, coll);
    this.log({ t: 'createColl', db, c: name });
    return coll;
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    this.log({ t: 'dropColl', db, c: name });
    return true;
  }

  dropDatabase(db: string): void {
    if (this.dbs.delete(db)) this.log({ t: 'dropDb', db });
  }

  renameCollection(from: Collection, toDb: string, toName: string, dropTarget: boolean): void {
    if (this.collection(toDb, toName)) {
      if (!dropTarget) throw errors.namespaceExists(`${toDb}.${toName}`);
      this.dropCollection(toDb, toName);
    }
    const fromDb = from.db;
    const fromName = from.name;
    const colls = this.dbs.get(fromDb);
    colls?.delete(fromName);
    if (colls?.size === 0) this.dbs.delete(fromDb);
    from.db = toDb;
    from.name = toName;
    let target = this.dbs.get(toDb);
    if (!target) {
      target = new Map();
      this.dbs.set(toDb, target);
    }
    target.set(toName, from);
    this.log({ t: 'rename', db: fromDb, c: fromName, toDb, toC: toName });
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    this.log({ t: 'createIdx', db: coll.db, c: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string): void {
    coll.indexes.delete(name);
    this.log({ t: 'dropIdx', db: coll.db, c: coll.name, name });
  }

  insert(coll: Collection, doc: Document, ctx: WriteContext): void {
    const id = valueKey(doc._id);
    this.lock(coll, id, ctx);
    coll.insert(doc);
    if (!ctx.txn) this.log({ t: 'put', db: coll.db, c: coll.name, d: doc });
  }

  replace(coll: Collection, next: Document, ctx: WriteContext): void {
    const id = valueKey(next._id);
    this.lock(coll, id, ctx);
    coll.replace(next);
    if (!ctx.txn) this.log({ t: 'put', db: coll.db, c: coll.name, d: next });
  }

  remove(coll: Collection, doc: Document, ctx: WriteContext): void {
    const id = valueKey(doc._id);
    this.lock(coll, id, ctx);
    coll.remove(id);
    if (!ctx.txn) this.log({ t: 'del', db: coll.db, c: coll.name, id: doc._id });
  }

  /** Makes a transaction's writes durable as one journal record and releases its locks. */
  commit(txn: Transaction): void {
    const ops: JournalOp[] = [];
    for (const { coll, id, before } of txn.undo.values()) {
      const doc = coll.docs.get(id);
      if (doc) ops.push({ t: 'put', db: coll.db, c: coll.name, d: doc });
      else if (before) ops.push({ t: 'del', db: coll.db, c: coll.name, id: before._id });
    }
    this.pending.push(...ops);
    this.flush();
    this.release(txn);
  }

  /** Rolls a transaction's documents back to their state before it touched them. */
  abort(txn: Transaction): void {
    for (const { coll, id, before } of [...txn.undo.values()].reverse()) coll.restore(id, before);
    this.release(txn);
  }

  /** Writes everything logged since the last flush as one record; called before any reply is sent. */
  flush(): void {
    if (this.pending.length === 0) return;
    const ops = this.pending;
    this.pending = [];
    this.journal?.append(ops);
  }

  /** Deletes documents whose TTL index field is older than `expireAfterSeconds`. */
  sweepExpired(now = Date.now()): number {
    let removed = 0;
    for (const colls of this.dbs.values()) {
      for (const coll of colls.values()) {
        for (const index of coll.indexes.values()) {
          const ttl = index.spec.expireAfterSeconds;
          const field = index.fields[0];
          if (typeof ttl !== 'number' || index.fields.length !== 1 || !field) continue;
          const cutoff = now - ttl * 1000;
          for (const doc of [...coll.docs.values()]) {
            if (!isExpired(doc[field], cutoff)) continue;
            try {
              this.remove(coll, doc, {});
              removed++;
            } catch (err) {
              if (!(err instanceof LockConflict)) throw err;
            }
          }
        }
      }
    }
    this.flush();
    return removed;
  }

  close(): void {
    this.flush();
    this.journal?.close();
    this.journal = undefined;
  }

  /** Fails before anything changes if any of `docs` is held by another transaction. */
  assertUnlocked(coll: Collection, docs: Document[], ctx: WriteContext): void {
    for (const doc of docs) {
      const owner = this.locks.get(`${coll.ns}\0${valueKey(doc._id)}`);
      if (owner && owner !== ctx.txn) throw new LockConflict(owner);
    }
  }

  private lock(coll: Collection, id: string, ctx: WriteContext): void {
    const key = `${coll.ns}\0${id}`;
    const owner = this.locks.get(key);
    if (owner && owner !== ctx.txn) throw new LockConflict(owner);
    if (ctx.txn && !owner) {
      // Saved even for an insert: a failed insert of an existing _id must not roll that document away.
      const before = coll.docs.get(id);
      this.locks.set(key, ctx.txn);
      ctx.txn.undo.set(key, { coll, id, before });
    }
  }

  private release(txn: Transaction): void {
    for (const key of txn.undo.keys()) if (this.locks.get(key) === txn) this.locks.delete(key);
  }

  private log(op: JournalOp): void {
    if (this.journal) this.pending.push(op);
  }

  private apply(op: JournalOp): void {
    switch (op.t) {
      case 'put': {
        const coll = this.collectionForWrite(op.db, op.c);
        coll.restore(valueKey(op.d._id), op.d);
        break;
      }
      case 'del':
        this.collection(op.db, op.c)?.remove(valueKey(op.id));
        break;
      case 'createColl':
        if (!this.collection(op.db, op.c)) this.createCollection(op.db, op.c);
        break;
      case 'dropColl':
        this.dropCollection(op.db, op.c);
        break;
      case 'dropDb':
        this.dropDatabase(op.db);
        break;
      case 'createIdx':
        this.collectionForWrite(op.db, op.c).addIndex(op.spec as IndexSpec);
        break;
      case 'dropIdx':
        this.collection(op.db, op.c)?.indexes.delete(op.name);
        break;
      case 'rename': {
        const from = this.collection(op.db, op.c);
        if (from) this.renameCollection(from, op.toDb, op.toC, true);
        break;
      }
    }
  }

  private liveBytes(): number {
    let total = 0;
    for (const colls of this.dbs.values())
      for (const coll of colls.values()) for (const doc of coll.docs.values()) total += calculateObjectSize(doc);
    return total;
  }

  private *snapshot(): Generator<JournalOp[]> {
    for (const colls of this.dbs.values()) {
      for (const coll of colls.values()) {
        const header: JournalOp[] = [{ t: 'createColl', db: coll.db, c: coll.name }];
        for (const index of coll.indexes.values()) {
          if (index.name !== '_id_') header.push({ t: 'createIdx', db: coll.db, c: coll.name, spec: index.spec });
        }
        yield header;
        let batch: JournalOp[] = [];
        for (const doc of coll.docs.values()) {
          batch.push({ t: 'put', db: coll.db, c: coll.name, d: doc });
          if (batch.length === SNAPSHOT_DOCS_PER_RECORD) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      }
    }
  }
}

function isExpired(value: unknown, cutoff: number): boolean {
  const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
  return dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) <= cutoff;
}
