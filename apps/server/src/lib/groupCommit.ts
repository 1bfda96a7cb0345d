// Group commit: writes submitted while a round trip is in flight go out together in the next one, so concurrent
// requests share round trips instead of queueing one behind another. Each caller still waits for its own write,
// so nothing a caller relies on ("the entry is stored when post() returns") changes.

/** Writes a batch; may answer one error (or null) per item, in order, to fail only the items that failed. */
export type BatchWriter<T> = (items: T[]) => Promise<Array<Error | null> | undefined>;

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private draining = false;

  constructor(
    private readonly write: BatchWriter<T>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const errors = await this.write(batch.map((w) => w.item));
          batch.forEach((w, i) => {
            const err = errors?.[i];
            if (err) w.reject(err);
            else w.resolve();
          });
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

const DUPLICATE_KEY = 11000;

/**
 * The per-item errors of an unordered insertMany, with duplicate-key errors the caller accepts mapped to null
 * (a replay whose first write already landed). Any other failure rejects every item, as the batch's outcome is
 * unknown.
 */
export function insertErrors(
  err: unknown,
  count: number,
  acceptDuplicate: (index: number) => boolean,
): Array<Error | null> {
  const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> })
    .writeErrors;
  if (!writeErrors || writeErrors.length === 0) throw err;
  const out: Array<Error | null> = Array.from({ length: count }, () => null);
  for (const w of writeErrors) {
    const code = w.code ?? w.err?.code;
    if (code === DUPLICATE_KEY && acceptDuplicate(w.index)) continue;
    out[w.index] = Object.assign(new Error(`write ${w.index} failed with code ${code}`), { code });
  }
  return out;
}
