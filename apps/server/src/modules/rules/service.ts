// The owner's loyalty rules: one document, validated as a whole (every earn rule by its own registered schema),
// cached briefly per server copy because every purchase reads them.
import { DEFAULT_LOYALTY_RULES, LoyaltyRules } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { AppError } from '../../errors';
import { validateEarnRules } from '../points/earnRules';

const CACHE_MS = 5_000;
const SETTINGS = 'settings';

export class RulesService {
  private cache: { rules: LoyaltyRules; at: number } | null = null;
  /** The read in flight: when the cache runs out, concurrent purchases wait for one read instead of each sending one. */
  private loading: Promise<LoyaltyRules> | null = null;
  /** Bumped by update(), so a read that started before it cannot put the old rules back in the cache. */
  private generation = 0;

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private collection() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string; rules: LoyaltyRules; updatedAt: Date }>(SETTINGS);
  }

  async get(): Promise<LoyaltyRules> {
    if (this.cache && this.now() - this.cache.at < CACHE_MS) return this.cache.rules;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<LoyaltyRules> {
    const generation = this.generation;
    const doc = await this.collection().findOne({ _id: 'loyalty' });
    const rules = doc ? LoyaltyRules.parse(doc.rules) : DEFAULT_LOYALTY_RULES;
    if (generation === this.generation) this.cache = { rules, at: this.now() };
    return rules;
  }

  async update(input: LoyaltyRules): Promise<LoyaltyRules> {
    const problems = [...validateEarnRules(input.earnRules), ...tierProblems(input)];
    if (problems.length) throw new AppError('VALIDATION_FAILED', undefined, problems);
    await this.collection().updateOne(
      { _id: 'loyalty' },
      { $set: { rules: input, updatedAt: new Date(this.now()) } },
      { upsert: true },
    );
    this.generation++;
    this.cache = { rules: input, at: this.now() };
    return input;
  }
}

function tierProblems(rules: LoyaltyRules): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (rules.tiers[0]?.threshold !== 0)
    problems.push({ path: 'tiers.0.threshold', message: '第一个等级的门槛必须为 0' });
  rules.tiers.forEach((tier, i) => {
    const prev = rules.tiers[i - 1];
    if (prev && tier.threshold <= prev.threshold)
      problems.push({ path: `tiers.${i}.threshold`, message: '等级门槛必须逐级升高' });
  });
  return problems;
}
