// MongoDB's duplicate-key error (11000), as a single insert and as a bulk write report it. Unique indexes are how
// this server makes replays harmless, so "was it only duplicates?" is asked in many places.
export const DUPLICATE_KEY = 11000;

type WriteError = { code?: number; err?: { code?: number } };
type BulkError = { code?: number; writeErrors?: WriteError[] };

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === DUPLICATE_KEY;
}

/**
 * How many of an unordered bulk insert's rows hit a unique index; null when anything else went wrong (the caller
 * must then rethrow: swallowing it could lose rows).
 */
export function duplicateCount(err: unknown): number | null {
  const e = err as BulkError;
  if (e.code === DUPLICATE_KEY && !e.writeErrors) return 1;
  const writeErrors = e.writeErrors ?? [];
  if (writeErrors.length === 0) return null;
  return writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY) ? writeErrors.length : null;
}

export function onlyDuplicates(err: unknown): boolean {
  return duplicateCount(err) !== null;
}

/**
 * Runs an upsert once more when it lost the race to insert: two first writers of one key upsert at once, one
 * inserts, the other's insert hits the unique _id, and its retry updates the document that now exists.
 */
export async function retryOnDuplicateKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}
