// Failures that mean "the database is not reachable right now" (a restart, a failover, a dropped connection), as
// opposed to a bug: the client gets 503 DATABASE_UNAVAILABLE with Retry-After and retries with the same
// idempotency key, which is safe because every value-moving step is keyed.

/** The driver's and mongoose's error classes for a database that cannot be reached. */
const UNREACHABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/** Server answers during shutdown or a primary change: ShutdownInProgress, InterruptedAtShutdown, stepdowns. */
const UNAVAILABLE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code, message } = err as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof name === 'string' && UNREACHABLE_NAMES.has(name)) return true;
  if (typeof code === 'number' && UNAVAILABLE_CODES.has(code) && name === 'MongoServerError') return true;
  // mongoose queues operations while disconnected and gives up with this message.
  return (
    name === 'MongooseError' &&
    typeof message === 'string' &&
    /buffering timed out|Connection was force closed/.test(message)
  );
}
