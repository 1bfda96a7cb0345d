import { DEFAULT_RFM_SETTINGS, RFM_SCORED_CLASSES, RfmClassInfo } from '@member-hub/shared';
import {
  classify,
  DAY_MS,
  daysSince,
  isChurn,
  overdueBp,
  quintileBoundaries,
  recencyScoreOf,
  scoreOf,
  shareBp,
  typicalGapMs,
} from './scoring';

const scoresOf = (values: number[]) => {
  const b = quintileBoundaries([...values].sort((x, y) => x - y));
  return values.map((v) => scoreOf(v, b));
};

describe('quintile scores', () => {
  it('takes the nearest-rank P20 / P40 / P60 / P80 as boundaries', () => {
    expect(quintileBoundaries([1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4]);
    expect(quintileBoundaries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([2, 4, 6, 8]);
    // n = 7: ranks ceil(1.4)=2, ceil(2.8)=3, ceil(4.2)=5, ceil(5.6)=6.
    expect(quintileBoundaries([10, 20, 30, 40, 50, 60, 70])).toEqual([20, 30, 50, 60]);
    expect(quintileBoundaries([42])).toEqual([42, 42, 42, 42]);
    expect(quintileBoundaries([])).toEqual([]);
  });

  it('gives two of ten distinct values to each score, the boundary value scoring low', () => {
    expect(scoresOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Just above a boundary is the next score.
    const b = quintileBoundaries([100, 200, 300, 400, 500]);
    expect([100, 101, 200, 201, 400, 401, 10_000].map((v) => scoreOf(v, b))).toEqual([1, 2, 2, 3, 4, 5, 5]);
  });

  it('never splits ties: equal values get one score, whatever order they were read in', () => {
    // 70% one-time buyers: F = 1 is score 1, F = 2 jumps to 4, the rest is 5.
    const f = [1, 1, 1, 1, 1, 1, 1, 2, 3, 5];
    expect(scoresOf(f)).toEqual([1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
    expect(scoresOf([...f].reverse())).toEqual([5, 5, 4, 1, 1, 1, 1, 1, 1, 1]);
    // Everyone equal: everyone 1 (nobody is better than anybody).
    expect(scoresOf([7, 7, 7, 7])).toEqual([1, 1, 1, 1]);
    // A tie across a boundary: the whole block takes the score of its lowest rank.
    expect(scoresOf([1, 2, 3, 3, 3, 3, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 2, 2, 4, 4, 5, 5]);
  });

  it('scores recency on fewer days being better', () => {
    const days = [0, 3, 10, 30, 90, 180, 200, 250, 300, 364];
    const b = quintileBoundaries(days.map((d) => -d).sort((x, y) => x - y));
    expect(days.map((d) => recencyScoreOf(d, b))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });
});

describe('classes', () => {
  it('are the eight of R, F, M high (score >= 3) or low', () => {
    const cases: [number, number, number, string][] = [
      [5, 5, 5, 'important_value'],
      [3, 3, 3, 'important_value'],
      [2, 3, 3, 'important_retain'],
      [3, 2, 3, 'important_develop'],
      [2, 2, 3, 'important_winback'],
      [3, 3, 2, 'general_value'],
      [2, 3, 2, 'general_retain'],
      [3, 2, 2, 'general_develop'],
      [1, 1, 1, 'general_winback'],
    ];
    for (const [r, f, m, cls] of cases) expect(`${r}${f}${m} ${classify(r, f, m)}`).toBe(`${r}${f}${m} ${cls}`);
  });

  it('each class is what its table row says', () => {
    for (const cls of RFM_SCORED_CLASSES) {
      const info = RfmClassInfo[cls];
      const s = (high: boolean | null) => (high ? 3 : 2);
      expect(classify(s(info.r), s(info.f), s(info.m))).toBe(cls);
    }
    expect(RFM_SCORED_CLASSES.map((c) => RfmClassInfo[c].name)).toEqual([
      '重要价值',
      '重要保持',
      '重要发展',
      '重要挽留',
      '一般价值',
      '一般保持',
      '一般发展',
      '一般挽留',
    ]);
  });
});

describe('churn', () => {
  const now = Date.UTC(2027, 5, 15);
  const span = (orders: number, firstDaysAgo: number, lastDaysAgo: number) => ({
    orders,
    firstMs: now - firstDaysAgo * DAY_MS,
    lastMs: now - lastDaysAgo * DAY_MS,
  });
  const settings = DEFAULT_RFM_SETTINGS;

  it('is strictly more than factor x the mean gap since the last order', () => {
    // Orders 40, 30, 20 days ago: mean gap 10 days; 20 days since = exactly 2.0x: not yet.
    expect(typicalGapMs(span(3, 40, 20))).toBe(10 * DAY_MS);
    expect(isChurn(span(3, 40, 20), now, settings)).toBe(false);
    expect(isChurn(span(3, 40, 20), now + 1, settings)).toBe(true);
    expect(overdueBp(span(3, 40, 20), now)).toBe(20_000);
    // The factor moves the line: 2.5x needs more than 25 days.
    const f25 = { ...settings, churnFactorBp: 25_000 };
    expect(isChurn(span(3, 45, 25), now, f25)).toBe(false);
    expect(isChurn(span(3, 45, 25), now + 1, f25)).toBe(true);
    // 1.0x: any time past one gap.
    expect(isChurn(span(2, 20, 10), now + 1, { ...settings, churnFactorBp: 10_000 })).toBe(true);
  });

  it('needs a baseline: at least two orders, and the configured minimum', () => {
    expect(typicalGapMs(span(1, 300, 300))).toBeNull();
    expect(isChurn(span(1, 300, 300), now, settings)).toBe(false);
    expect(isChurn(span(2, 300, 290), now, settings)).toBe(true);
    expect(isChurn(span(2, 300, 290), now, { ...settings, churnMinOrders: 3 })).toBe(false);
    expect(isChurn(span(3, 300, 290), now, { ...settings, churnMinOrders: 3 })).toBe(true);
  });

  it('floors the typical gap at one day (two orders on one visit)', () => {
    const sameVisit = { orders: 2, firstMs: now - 3 * DAY_MS, lastMs: now - 3 * DAY_MS + 60_000 };
    expect(typicalGapMs(sameVisit)).toBe(DAY_MS);
    expect(isChurn(sameVisit, now - 3 * DAY_MS + 60_000 + 2 * DAY_MS, settings)).toBe(false);
    expect(isChurn(sameVisit, now - 3 * DAY_MS + 60_000 + 2 * DAY_MS + 1, settings)).toBe(true);
  });

  it('stays exact on long histories (no float rounding at the boundary)', () => {
    const many = { orders: 5_001, firstMs: 0, lastMs: 5_000 * DAY_MS };
    expect(isChurn(many, 5_000 * DAY_MS + 2 * DAY_MS, settings)).toBe(false);
    expect(isChurn(many, 5_000 * DAY_MS + 2 * DAY_MS + 1, settings)).toBe(true);
  });
});

describe('helpers', () => {
  it('counts whole days and basis-point shares', () => {
    expect(daysSince(10 * DAY_MS, 10 * DAY_MS)).toBe(0);
    expect(daysSince(10 * DAY_MS - 1, 9 * DAY_MS)).toBe(0);
    expect(daysSince(10 * DAY_MS, 9 * DAY_MS)).toBe(1);
    expect(shareBp(1, 3)).toBe(3_333);
    expect(shareBp(0, 0)).toBe(0);
    expect(shareBp(9_000_000_000_000, 9_000_000_000_001)).toBe(9_999);
  });
});
