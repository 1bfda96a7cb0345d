// The outbox worker. For each due message: claim it, apply the member's choices and the hub's limits (muted kind,
// quiet hours and the weekly cap for marketing), spend one consent, hand it to WeChat, record what happened.
//
// At most once per dedupe key: a row is handed to WeChat only while this sender holds its claim, and a row found
// still `sending` after its claim ran out (the sender died between WeChat's answer and our write) becomes
// `uncertain`, never sent again. For the same reason a timeout is `uncertain` (WeChat may have delivered it); only
// answers that prove WeChat did not take the message (-1 busy, 5xx, rate limits) are retried, with backoff.
import { randomUUID } from 'node:crypto';
import { chinaHour, chinaMidnightMs, chinaWeekStart, type MessageKind } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import type { AppConfig } from '../../config';
import { isDuplicateKey } from '../../lib/duplicateKey';
import type { Logger } from '../../logger';
import type { SubscribeSendResult, WechatClient } from '../../wechat/client';
import { type Member, memberModel } from '../members/model';
import { messageModels, type OutboxDoc } from './model';
import { quotaId } from './service';

const HOUR_MS = 3_600_000;
/** Longer than the WeChat client's timeout, so a live sender never loses its claim mid-call. */
const CLAIM_MS = 120_000;

export interface SendRound {
  sent: number;
  noQuota: number;
  suppressed: number;
  failed: number;
  retried: number;
  deferred: number;
  uncertain: number;
}

type Outcome = keyof SendRound;

/** The end of quiet hours if `at` falls inside them (China time), else null. Handles hours that wrap midnight. */
export function quietUntil(at: number, quiet: AppConfig['messages']['quietHours']): number | null {
  const { startHour, endHour } = quiet;
  if (startHour === endHour) return null;
  const hour = chinaHour(at);
  const inside = startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
  if (!inside) return null;
  const endToday = chinaMidnightMs(at) + endHour * HOUR_MS;
  return endToday > at ? endToday : endToday + 24 * HOUR_MS;
}

/** 1 min, 2, 4 ... capped at an hour: WeChat's -1 and rate limits clear in minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), HOUR_MS);
}

export class MessageSender {
  private readonly models;

  constructor(
    private readonly conn: Connection,
    private readonly wechat: Pick<WechatClient, 'sendSubscribeMessage'>,
    private readonly settings: AppConfig['messages'],
    private readonly appid: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.models = messageModels(conn);
  }

  /**
   * One pass over what is due now, `concurrency` messages in flight. Rows are claimed a few dozen at a time (one
   * update), with their members' WeChat ids and muted kinds read in bulk, so a message costs its quota update, the
   * WeChat call and the row's final write; a small chunk also keeps every claim far inside its expiry.
   */
  async sendDue(options: { limit?: number; concurrency?: number } = {}): Promise<SendRound> {
    const round: SendRound = { sent: 0, noQuota: 0, suppressed: 0, failed: 0, retried: 0, deferred: 0, uncertain: 0 };
    round.uncertain += await this.markAbandoned();
    const concurrency = options.concurrency ?? 8;
    const due = await this.models.Outbox.find(
      { status: 'pending', notBefore: { $lte: new Date(this.now()) } },
      { _id: 1 },
    )
      .sort({ notBefore: 1 })
      .limit(options.limit ?? 1_000)
      .lean<{ _id: Types.ObjectId }[]>();
    const chunk = concurrency * 4;
    for (let i = 0; i < due.length; i += chunk) {
      const claimed = await this.claim(due.slice(i, i + chunk).map((r) => r._id));
      const context = await this.recipients(claimed.rows);
      let next = 0;
      const worker = async () => {
        for (let row = claimed.rows[next++]; row; row = claimed.rows[next++]) {
          round[await this.deliver(row, claimed.token, context)]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.rows.length) }, worker));
    }
    return round;
  }

  /** Rows whose sender stopped mid-send: WeChat may have delivered them, so they are never retried. */
  private async markAbandoned(): Promise<number> {
    const result = await this.models.Outbox.updateMany(
      { status: 'sending', 'claim.until': { $lt: new Date(this.now()) } },
      { $set: { status: 'uncertain', claim: null, error: '发送过程中断，微信可能已送达，不再重发' } },
    );
    return result.modifiedCount;
  }

  /** Takes the rows still pending and due (another sender may have taken some): one update, one read. */
  private async claim(ids: Types.ObjectId[]): Promise<{ token: string; rows: OutboxDoc[] }> {
    const { Outbox } = this.models;
    const token = randomUUID();
    const at = this.now();
    await Outbox.updateMany(
      { _id: { $in: ids }, status: 'pending', notBefore: { $lte: new Date(at) } },
      { $set: { status: 'sending', claim: { token, until: new Date(at + CLAIM_MS) } }, $inc: { attempts: 1 } },
    );
    const rows = await Outbox.find({ _id: { $in: ids }, 'claim.token': token }).lean<OutboxDoc[]>();
    return { token, rows };
  }

  private async recipients(rows: OutboxDoc[]) {
    const ids = [...new Map(rows.map((r) => [r.memberId.toHexString(), r.memberId])).values()];
    const [members, prefs] = await Promise.all([
      memberModel(this.conn)
        .find({ _id: { $in: ids } }, { wechat: 1, status: 1 })
        .lean<Pick<Member, '_id' | 'wechat' | 'status'>[]>(),
      this.models.Prefs.find({ _id: { $in: ids } }, { muted: 1 }).lean(),
    ]);
    const openids = new Map<string, string>();
    for (const m of members) {
      const openid = m.status === 'active' ? m.wechat.find((w) => w.appid === this.appid)?.openid : undefined;
      if (openid) openids.set(m._id.toHexString(), openid);
    }
    return { openids, muted: new Map(prefs.map((p) => [p._id.toHexString(), new Set<MessageKind>(p.muted)])) };
  }

  private async deliver(
    row: OutboxDoc,
    token: string,
    context: { openids: Map<string, string>; muted: Map<string, Set<MessageKind>> },
  ): Promise<Outcome> {
    const at = this.now();
    const release = (set: Partial<OutboxDoc>, inc: Record<string, number> = {}) =>
      this.models.Outbox.updateOne(
        { _id: row._id, 'claim.token': token },
        { $set: { ...set, claim: null }, $inc: inc },
      );
    const member = row.memberId.toHexString();
    const marketing = row.category === 'marketing';
    const quietEnd = marketing ? quietUntil(at, this.settings.quietHours) : null;
    if (quietEnd !== null) {
      await release({ status: 'pending', notBefore: new Date(quietEnd) }, { attempts: -1 });
      return 'deferred';
    }
    const openid = context.openids.get(member);
    if (!openid) {
      await release({ status: 'failed', error: '会员没有本小程序的微信身份' });
      return 'failed';
    }
    if (context.muted.get(member)?.has(row.kind)) {
      await release({ status: 'suppressed', error: '会员已关闭此类消息' });
      return 'suppressed';
    }
    const capKey = marketing ? `${member}:${chinaWeekStart(at)}` : null;
    if (capKey && !(await this.takeCap(capKey))) {
      await release({ status: 'suppressed', error: `本周营销消息已达 ${this.settings.weeklyMarketingCap} 条上限` });
      return 'suppressed';
    }
    if (!(await this.takeQuota(row.memberId, row.templateId))) {
      if (capKey) await this.giveCapBack(capKey);
      await release({ status: 'no_quota', error: '会员没有该模板的订阅次数' });
      return 'noQuota';
    }
    const result = await this.wechat.sendSubscribeMessage({
      openid,
      templateId: row.templateId,
      data: row.data,
      ...(row.page === null ? {} : { page: row.page }),
      state: 'formal',
      lang: 'zh_CN',
    });
    return this.record(row, token, result, capKey);
  }

  private async record(
    row: OutboxDoc,
    token: string,
    result: SubscribeSendResult,
    capKey: string | null,
  ): Promise<Outcome> {
    const { Outbox, Quotas } = this.models;
    const release = (set: Partial<OutboxDoc>) =>
      Outbox.updateOne({ _id: row._id, 'claim.token': token }, { $set: { ...set, claim: null } });
    if (result.ok) {
      await release({
        status: 'sent',
        quotaSpent: true,
        msgid: result.msgid,
        sentAt: new Date(this.now()),
        error: null,
      });
      return 'sent';
    }
    if (result.kind === 'transient' && result.errmsg === 'timeout') {
      await release({ status: 'uncertain', quotaSpent: true, error: '微信接口超时，可能已送达，不再重发' });
      return 'uncertain';
    }
    // WeChat did not take it: the consent and the week's slot are still the member's.
    if (result.kind !== 'no_quota') await this.giveQuotaBack(row.memberId, row.templateId);
    if (capKey) await this.giveCapBack(capKey);
    const error = `${result.errcode} ${result.errmsg}`.slice(0, 200);
    if (result.kind === 'no_quota') {
      // WeChat's count is the truth: whatever we thought was left for this template is gone.
      await Quotas.updateOne({ _id: quotaId(row.memberId, row.templateId) }, { $set: { quota: 0 } });
      await release({ status: 'no_quota', quotaSpent: false, error });
      return 'noQuota';
    }
    if ((result.kind === 'transient' || result.kind === 'rate_limited') && row.attempts < this.settings.maxAttempts) {
      const wait = backoffMs(row.attempts) * (result.kind === 'rate_limited' ? 5 : 1);
      await release({ status: 'pending', quotaSpent: false, notBefore: new Date(this.now() + wait), error });
      return 'retried';
    }
    if (result.kind === 'bad_field') {
      // Our template data broke WeChat's rule: a bug to fix, not the member's problem.
      this.logger.error(
        {
          outboxId: row._id.toHexString(),
          kind: row.kind,
          templateId: row.templateId,
          field: result.field,
          errcode: result.errcode,
        },
        'subscription message refused: a field breaks its rule (47003)',
      );
    }
    await release({ status: 'failed', quotaSpent: false, error });
    return 'failed';
  }

  /** One of the week's marketing slots; false at the cap (the upsert then collides with the full counter). */
  private async takeCap(key: string): Promise<boolean> {
    try {
      const r = await this.models.WeeklyCaps.updateOne(
        { _id: key, count: { $lt: this.settings.weeklyMarketingCap } },
        { $inc: { count: 1 } },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount === 1;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  private async giveCapBack(key: string): Promise<void> {
    await this.models.WeeklyCaps.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
  }

  private async takeQuota(memberId: Types.ObjectId, templateId: string): Promise<boolean> {
    const r = await this.models.Quotas.updateOne(
      { _id: quotaId(memberId, templateId), quota: { $gt: 0 } },
      { $inc: { quota: -1 }, $set: { updatedAt: new Date(this.now()) } },
    );
    return r.modifiedCount === 1;
  }

  private async giveQuotaBack(memberId: Types.ObjectId, templateId: string): Promise<void> {
    await this.models.Quotas.updateOne(
      { _id: quotaId(memberId, templateId) },
      { $inc: { quota: 1 }, $set: { updatedAt: new Date(this.now()) } },
    );
  }
}
