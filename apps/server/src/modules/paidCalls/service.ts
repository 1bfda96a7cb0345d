// WeChat capabilities billed per use (手机号快速验证组件: ¥0.03 a time at WeChat's standard price). WeChat charges when
// the component succeeds on the phone, and each such success hands the server one code to exchange, so the codes
// exchanged are the uses paid for. Every use is counted per China day in MongoDB, so the owner sees today's, this
// month's and each recent day's count and cost whichever server copy made the call; a prom-client counter carries
// the same count to monitoring. The figure is an estimate: WeChat's own bill (微信公众平台 › 付费管理) is the truth.
import {
  addDays,
  chinaDay,
  PAID_CALL_DAYS,
  type PaidCallApi,
  PaidCallApiLabels,
  PaidCallApi as PaidCallApis,
  type PaidCallDay,
  type PaidCallsSummary,
  type PaidCallUsage,
} from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { retryOnDuplicateKey } from '../../lib/duplicateKey';
import type { Logger } from '../../logger';
import type { HubMetrics } from '../metrics/metrics';
import { type PaidCallDoc, paidCallId, paidCallModel } from './model';

export type PaidCallPrices = Record<PaidCallApi, number>;

export class PaidCallService {
  constructor(
    private readonly conn: Connection,
    private readonly prices: PaidCallPrices,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one billed call, on the China day it happens, at today's price. Never throws: the call is made and paid
   * for already, and failing the member's request over a counter would only make them tap (and pay) again.
   */
  async record(api: PaidCallApi): Promise<void> {
    const day = chinaDay(this.now());
    const fen = this.prices[api];
    this.metrics.paidCall(api, fen);
    const write = () =>
      paidCallModel(this.conn).updateOne(
        { _id: paidCallId(api, day) },
        { $inc: { count: 1, costFen: fen }, $setOnInsert: { api, day } },
        { upsert: true },
      );
    try {
      // Two first calls of a day upserting at once: one inserts, the other retries as an update.
      await retryOnDuplicateKey(write);
    } catch (err) {
      this.logger.error({ err, api, day }, 'paid call not counted');
    }
  }

  async summary(): Promise<PaidCallsSummary> {
    const today = chinaDay(this.now());
    const monthStart = `${today.slice(0, 7)}-01`;
    const first = addDays(today, -(PAID_CALL_DAYS - 1));
    const from = monthStart < first ? monthStart : first;
    const apis = await Promise.all(PaidCallApis.options.map((api) => this.usage(api, from, today, monthStart)));
    return { apis };
  }

  private async usage(api: PaidCallApi, from: string, today: string, monthStart: string): Promise<PaidCallUsage> {
    const rows = await paidCallModel(this.conn)
      .find({ _id: { $gte: paidCallId(api, from), $lte: paidCallId(api, today) } })
      .lean<PaidCallDoc[]>();
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const dayOf = (day: string): PaidCallDay => {
      const row = byDay.get(day);
      return { day, count: row?.count ?? 0, costFen: row?.costFen ?? 0 };
    };
    const inMonth = rows.filter((r) => r.day >= monthStart);
    return {
      api,
      label: PaidCallApiLabels[api],
      priceFen: this.prices[api],
      today: dayOf(today),
      month: {
        month: today.slice(0, 7),
        count: inMonth.reduce((sum, r) => sum + r.count, 0),
        costFen: inMonth.reduce((sum, r) => sum + r.costFen, 0),
      },
      days: Array.from({ length: PAID_CALL_DAYS }, (_, i) => dayOf(addDays(today, -i))),
    };
  }
}
