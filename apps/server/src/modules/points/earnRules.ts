// Earn rules as registered objects (like Vendure's promotion actions): each has a type, typed params, an order and
// an apply step. The owner configures which run and with what params; a purchase runs them in order and every
// step that changes the result adds a few words to the explanation the member sees.
import { formatFen, type LoyaltyRules, type OrderItem } from '@member-hub/shared';
import { z } from 'zod';

export interface EarnInput {
  /** What the member paid after any points offset, in fen. */
  paidFen: number;
  items: OrderItem[];
  storeId: string | null;
  tier: { name: string; multiplierBp: number };
  at: Date;
  /** Weekday in China time, 1 = Monday ... 7 = Sunday; the caller computes it so rules stay pure. */
  weekday: number;
  /** yyyy-MM-dd in China time. */
  date: string;
}

interface EarnState {
  eligibleFen: number;
  multipliersBp: number[];
  notes: string[];
}

interface EarnRule<P> {
  type: string;
  /** Lower runs first: exclusions shape the base before multipliers scale it. */
  order: number;
  params: z.ZodType<P>;
  apply(input: EarnInput, state: EarnState, params: P): void;
}

const BpMultiplier = z.number().int().min(0).max(100_000);

function multiplierText(bp: number): string {
  return `${(bp / 10_000).toString()} 倍`;
}

const rules: EarnRule<unknown>[] = [];

function register<P>(rule: EarnRule<P>): void {
  rules.push(rule as unknown as EarnRule<unknown>);
  rules.sort((a, b) => a.order - b.order);
}

register({
  type: 'excludeCategories',
  order: 10,
  params: z.strictObject({ categories: z.array(z.string().min(1)).max(50) }),
  apply(input, state, { categories }) {
    const itemsFen = input.items.reduce((sum, item) => sum + item.amountFen, 0);
    if (itemsFen === 0) return;
    const excludedFen = input.items
      .filter((i) => i.category && categories.includes(i.category))
      .reduce((s, i) => s + i.amountFen, 0);
    if (excludedFen === 0) return;
    // The payment is spread over the items in proportion; the excluded share earns nothing. Rounded down.
    state.eligibleFen = Math.floor((state.eligibleFen * (itemsFen - excludedFen)) / itemsFen);
    state.notes.push(`不计积分商品 ${formatFen(excludedFen)}`);
  },
});

register({
  type: 'storeRate',
  order: 20,
  params: z.strictObject({
    storeId: z.string().regex(/^[0-9a-f]{24}$/),
    multiplierBp: BpMultiplier,
    label: z.string().max(20).default('门店加倍'),
  }),
  apply(input, state, p) {
    if (input.storeId !== p.storeId) return;
    state.multipliersBp.push(p.multiplierBp);
    state.notes.push(`${p.label} ${multiplierText(p.multiplierBp)}`);
  },
});

register({
  type: 'promotion',
  order: 30,
  params: z.strictObject({
    label: z.string().min(1).max(20),
    multiplierBp: BpMultiplier,
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
  }),
  apply(input, state, p) {
    if (p.from && input.date < p.from) return;
    if (p.to && input.date > p.to) return;
    if (p.weekdays && !p.weekdays.includes(input.weekday)) return;
    state.multipliersBp.push(p.multiplierBp);
    state.notes.push(`${p.label} ${multiplierText(p.multiplierBp)}`);
  },
});

register({
  type: 'tierMultiplier',
  order: 40,
  params: z.strictObject({}),
  apply(input, state) {
    if (input.tier.multiplierBp === 10_000) return;
    state.multipliersBp.push(input.tier.multiplierBp);
    state.notes.push(`${input.tier.name} ${multiplierText(input.tier.multiplierBp)}`);
  },
});

export const earnRuleTypes = () => rules.map((r) => r.type);

/** Checks each configured rule's params against its registered schema. */
export function validateEarnRules(configs: LoyaltyRules['earnRules']): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  configs.forEach((config, i) => {
    const rule = rules.find((r) => r.type === config.type);
    if (!rule) {
      problems.push({ path: `earnRules.${i}.type`, message: `未知的积分规则 ${config.type}` });
      return;
    }
    const parsed = rule.params.safeParse(config.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ path: `earnRules.${i}.params.${issue.path.join('.')}`, message: issue.message });
    }
  });
  return problems;
}

export interface EarnResult {
  points: number;
  growth: number;
  eligibleFen: number;
  explanation: string;
}

/**
 * Points = whole eligible yuan x points per yuan x every multiplier, rounded down once at the end.
 * BigInt keeps the product exact however many multipliers stack.
 */
export function computeEarn(input: EarnInput, config: LoyaltyRules): EarnResult {
  const state: EarnState = { eligibleFen: input.paidFen, multipliersBp: [], notes: [] };
  for (const rule of rules) {
    const configured = config.earnRules.find((c) => c.type === rule.type && c.enabled);
    if (!configured) continue;
    rule.apply(input, state, rule.params.parse(configured.params));
  }
  const yuan = BigInt(Math.floor(state.eligibleFen / 100));
  let numerator = yuan * BigInt(config.pointsPerYuan);
  let denominator = 1n;
  for (const bp of state.multipliersBp) {
    numerator *= BigInt(bp);
    denominator *= 10_000n;
  }
  const points = Number(numerator / denominator);
  // Growth value: 1 per eligible yuan paid, never multiplied.
  const growth = Number(yuan);
  const explanation = [`消费 ${formatFen(input.paidFen)}`, ...state.notes, `+${points}`].join('，');
  return { points, growth, eligibleFen: state.eligibleFen, explanation };
}
