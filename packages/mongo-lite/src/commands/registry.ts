// The command table's types and the argument checks every command shares. Each command lists the fields it
// accepts; anything else is refused with MongoDB's "unknown field" error instead of being silently ignored.
import type { Document } from 'bson';
import type { CursorStore } from '../cursors';
import { errors } from '../errors';
import type { Engine, WriteContext } from '../storage/engine';
import type { SessionStore, Transaction } from '../txn';

export interface ServerInfo {
  /** `127.0.0.1:<port>`, what hello reports as hosts/me/primary. */
  host: string;
  connectionId: number;
  startedAt: number;
  topologyVersion: Document;
  /** Resolves after `ms`, or sooner when the server stops (awaitable hello must not hold up stop()). */
  waitOrStop(ms: number): Promise<void>;
  connectionCount(): number;
}

export interface CommandContext {
  engine: Engine;
  cursors: CursorStore;
  sessions: SessionStore;
  server: ServerInfo;
  db: string;
  cmd: Document;
  txn?: Transaction;
  write: WriteContext;
}

export interface CommandDef {
  name: string;
  aliases?: string[];
  /** Fields beyond the command name and the generic ones; `'*'` accepts anything (handshake). */
  fields: readonly string[] | '*';
  /** May run inside a multi-document transaction. */
  inTransaction?: boolean;
  /** Replayed instead of re-applied when retried with the same lsid + txnNumber. */
  retryableWrite?: boolean;
  run(ctx: CommandContext): Document | Promise<Document>;
}

/** Fields any command may carry: session, concerns, cluster time, API version, tracing. */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'readConcern',
  'writeConcern',
  '$clusterTime',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'comment',
  'maxTimeMS',
]);

export function checkFields(def: CommandDef, cmd: Document): void {
  if (def.fields === '*') return;
  const allowed = def.fields;
  Object.keys(cmd).forEach((field, i) => {
    if (i === 0 || GENERIC_FIELDS.has(field) || allowed.includes(field)) return;
    throw errors.unknownField(def.name, field);
  });
}

/** Checks a sub-document's fields, e.g. each statement of an update (`update.updates.foo`). */
export function checkSubFields(path: string, doc: Document, allowed: readonly string[]): void {
  for (const field of Object.keys(doc)) if (!allowed.includes(field)) throw errors.unknownField(path, field);
}

export function stringArg(cmd: Document, field: string): string {
  const v = cmd[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw errors.typeMismatch(`BSON field '${field}' is the wrong type '${typeof v}', expected type 'string'`);
  }
  return v;
}

export function optionalNumber(cmd: Document, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'object' && 'toNumber' in v
        ? (v as { toNumber(): number }).toNumber()
        : NaN;
  if (Number.isNaN(n)) throw errors.typeMismatch(`BSON field '${field}' is the wrong type, expected a number`);
  return n;
}

export function optionalDocument(cmd: Document, field: string): Document | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw errors.typeMismatch(`BSON field '${field}' is the wrong type, expected type 'object'`);
  }
  return v as Document;
}

export function documentArray(cmd: Document, field: string): Document[] {
  const v = cmd[field];
  if (!Array.isArray(v)) throw errors.typeMismatch(`BSON field '${field}' is the wrong type, expected type 'array'`);
  return v as Document[];
}
