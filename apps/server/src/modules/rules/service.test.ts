import { DEFAULT_LOYALTY_RULES, type LoyaltyRules } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { RulesService } from './service';

/** A settings collection in memory that counts its reads and answers each when the test lets it. */
function settingsStore() {
  let stored: { rules: LoyaltyRules } | null = null;
  const waiting: Array<() => void> = [];
  const store = {
    reads: 0,
    release: () => {
      for (const go of waiting.splice(0)) go();
    },
    conn: {
      db: {
        collection: () => ({
          findOne: () => {
            store.reads++;
            const answer = stored && structuredClone(stored);
            return new Promise((resolve) => waiting.push(() => resolve(answer)));
          },
          updateOne: async (_filter: unknown, update: { $set: { rules: LoyaltyRules } }) => {
            stored = { rules: update.$set.rules };
          },
        }),
      },
    } as unknown as Connection,
  };
  return store;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RulesService cache', () => {
  it('answers concurrent reads of expired rules with one database read', async () => {
    const store = settingsStore();
    let now = 0;
    const rules = new RulesService(store.conn, () => now);
    const first = Promise.all(Array.from({ length: 16 }, () => rules.get()));
    await tick();
    store.release();
    expect(await first).toEqual(Array(16).fill(DEFAULT_LOYALTY_RULES));
    expect(store.reads).toBe(1);

    now += 60_000;
    const again = Promise.all(Array.from({ length: 16 }, () => rules.get()));
    await tick();
    store.release();
    await again;
    expect(store.reads).toBe(2);
  });

  it('does not let a read that started before an update put the old rules back', async () => {
    const store = settingsStore();
    const rules = new RulesService(store.conn, () => 0);
    const stale = rules.get();
    await tick();
    const changed = { ...DEFAULT_LOYALTY_RULES, expiryMonths: DEFAULT_LOYALTY_RULES.expiryMonths + 6 };
    await rules.update(changed);
    store.release();
    expect(await stale).toEqual(DEFAULT_LOYALTY_RULES);
    expect(await rules.get()).toEqual(changed);
    expect(store.reads).toBe(1);
  });
});
