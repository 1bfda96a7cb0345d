// MongoDB-shaped errors. Codes and code names follow MongoDB's error_codes.yml so drivers and mongoose
// (which branch on `code`, `codeName` and `errorLabels`) behave exactly as against a real server.
import type { Document } from 'bson';

export class MongoError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
    readonly errorLabels: string[] = [],
  ) {
    super(message);
  }

  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }
}

const TRANSIENT = ['TransientTransactionError'];

export const errors = {
  badValue: (msg: string) => new MongoError(2, 'BadValue', msg),
  failedToParse: (msg: string) => new MongoError(9, 'FailedToParse', msg),
  typeMismatch: (msg: string) => new MongoError(14, 'TypeMismatch', msg),
  illegalOperation: (msg: string) => new MongoError(20, 'IllegalOperation', msg),
  namespaceNotFound: (msg: string) => new MongoError(26, 'NamespaceNotFound', msg),
  indexNotFound: (msg: string) => new MongoError(27, 'IndexNotFound', msg),
  conflictingUpdateOperators: (msg: string) => new MongoError(40, 'ConflictingUpdateOperators', msg),
  cursorNotFound: (id: number) => new MongoError(43, 'CursorNotFound', `cursor id ${id} not found`),
  namespaceExists: (ns: string) => new MongoError(48, 'NamespaceExists', `Collection ${ns} already exists.`),
  commandNotFound: (name: string) => new MongoError(59, 'CommandNotFound', `no such command: '${name}'`),
  immutableField: (field: string) =>
    new MongoError(
      66,
      'ImmutableField',
      `Performing an update on the path '${field}' would modify the immutable field '${field}'`,
    ),
  invalidOptions: (msg: string) => new MongoError(72, 'InvalidOptions', msg),
  invalidNamespace: (msg: string) => new MongoError(73, 'InvalidNamespace', msg),
  indexOptionsConflict: (msg: string) => new MongoError(85, 'IndexOptionsConflict', msg),
  indexKeySpecsConflict: (msg: string) => new MongoError(86, 'IndexKeySpecsConflict', msg),
  writeConflict: () =>
    new MongoError(
      112,
      'WriteConflict',
      'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
      {},
      TRANSIENT,
    ),
  noSuchTransaction: (txnNumber: number) =>
    new MongoError(
      251,
      'NoSuchTransaction',
      `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
      {},
      TRANSIENT,
    ),
  transactionTooOld: (txnNumber: number, current: number) =>
    new MongoError(
      225,
      'TransactionTooOld',
      `Cannot start transaction ${txnNumber} on session because a newer transaction ${current} has already started`,
    ),
  transactionCommitted: (txnNumber: number) =>
    new MongoError(256, 'TransactionCommitted', `Transaction with { txnNumber: ${txnNumber} } has been committed.`),
  notSupportedInTransaction: (msg: string) => new MongoError(263, 'OperationNotSupportedInTransaction', msg),
  unknownField: (command: string, field: string) =>
    new MongoError(40415, 'Location40415', `BSON field '${command}.${field}' is an unknown field.`),
  notImplemented: (msg: string) => new MongoError(238, 'NotImplemented', msg),
};

/** Errors thrown by mingo for unknown operators or bad arguments become BadValue instead of a crash. */
export function toMongoError(err: unknown): MongoError {
  if (err instanceof MongoError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/Unknown update operator/i.test(message)) return errors.failedToParse(message);
  return errors.badValue(message);
}
