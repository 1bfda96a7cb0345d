import { BatchedReads, GroupCommit } from './groupCommit';

/** A writer that records each batch it is handed and answers when the test releases it. */
function recordingWriter() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const commit = new GroupCommit<number>(
    (items) =>
      new Promise((resolve) => {
        batches.push(items);
        pending.push(() => resolve(items.map((n) => (n < 0 ? new Error(`refused ${n}`) : null))));
      }),
  );
  const releaseAll = () => {
    for (const release of pending.splice(0)) release();
  };
  return { batches, commit, releaseAll };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends items submitted in one event-loop turn as one batch', async () => {
    const { batches, commit, releaseAll } = recordingWriter();
    const done = Promise.all([commit.submit(1), commit.submit(2), commit.submit(3)]);
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    releaseAll();
    await done;
  });

  it('lingers one turn: items submitted from a later microtask of the same turn still join', async () => {
    const { batches, commit, releaseAll } = recordingWriter();
    const first = commit.submit(1);
    const second = Promise.resolve().then(() => commit.submit(2));
    await turn();
    await turn();
    expect(batches).toEqual([[1, 2]]);
    releaseAll();
    await Promise.all([first, second]);
  });

  it('queues items that arrive while a batch is in flight for the next batch', async () => {
    const { batches, commit, releaseAll } = recordingWriter();
    const first = commit.submit(1);
    await turn();
    const later = [commit.submit(2), commit.submit(3)];
    await turn();
    expect(batches).toEqual([[1]]);
    releaseAll();
    await first;
    await turn();
    expect(batches).toEqual([[1], [2, 3]]);
    releaseAll();
    await Promise.all(later);
  });

  it('fails only the items the writer refused', async () => {
    const { commit, releaseAll } = recordingWriter();
    const results = Promise.allSettled([commit.submit(1), commit.submit(-2), commit.submit(3)]);
    await turn();
    releaseAll();
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails every item of a batch whose write threw, and keeps working afterwards', async () => {
    let calls = 0;
    const commit = new GroupCommit<number>(async () => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return undefined;
    });
    const results = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(commit.submit(3)).resolves.toBeUndefined();
  });
});

describe('BatchedReads', () => {
  it('fetches concurrent keys once each in one call and answers null for a key not found', async () => {
    const calls: string[][] = [];
    const reads = new BatchedReads<string>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const values = await Promise.all([reads.load('a'), reads.load('b'), reads.load('a'), reads.load('missing')]);
    expect(values).toEqual(['A', 'B', 'A', null]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
  });
});
