// Consent and the outbox: a member's accepted subscriptions become send quotas; triggers and campaigns put
// messages in the outbox (once per dedupe key); the sender (sender.ts) spends a quota per message it sends.
import {
  type ConsentScene,
  MessageKind,
  MessageKindInfo,
  type MessagePreferences,
  type MessageTemplateKey,
  type OutboxPage,
  type OutboxQuery,
  OutboxStatus,
  type RecordConsentRequest,
} from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import type { AppConfig } from '../../config';
import { AppError } from '../../errors';
import { duplicateCount } from '../../lib/duplicateKey';
import { memberModel } from '../members/model';
import { buildMessage, type MessageInputs } from './catalog';
import { messageModels, type OutboxDoc } from './model';

/** The templates each asking moment offers (WeChat shows at most 3 in one request). */
const SCENE_TEMPLATES: Record<ConsentScene, MessageTemplateKey[]> = {
  after_purchase: ['points_changed', 'points_expiring', 'coupon_expiring'],
  points_page: ['points_changed', 'points_expiring', 'tier_changed'],
  top_up: ['topup_succeeded', 'points_changed'],
  coupons: ['coupon_expiring', 'coupon_received', 'birthday_gift'],
  preferences: ['points_changed', 'coupon_received', 'referral_reward'],
  other: ['coupon_received'],
};

export type EnqueueInput = {
  [K in MessageKind]: {
    memberId: Types.ObjectId;
    kind: K;
    input: MessageInputs[K];
    /** One message per key, ever: e.g. `points_earned:<orderId>`. */
    dedupeKey: string;
    notBefore?: Date;
  };
}[MessageKind];

export const quotaId = (memberId: Types.ObjectId, templateId: string) => `${memberId.toHexString()}:${templateId}`;

export class MessageService {
  private readonly models;
  private readonly templateIds: Record<MessageTemplateKey, string>;
  private readonly keyByTemplateId: Map<string, MessageTemplateKey>;

  constructor(
    private readonly conn: Connection,
    settings: AppConfig['messages'],
    private readonly now: () => number,
  ) {
    this.models = messageModels(conn);
    this.templateIds = settings.templates;
    this.keyByTemplateId = new Map(
      Object.entries(settings.templates).map(([key, id]) => [id, key as MessageTemplateKey]),
    );
  }

  templateIdOf(kind: MessageKind): string {
    return this.templateIds[MessageKindInfo[kind].template];
  }

  /** What `wx.requestSubscribeMessage` answered: each accept is one more send of that template. */
  async recordConsent(memberId: Types.ObjectId, request: RecordConsentRequest): Promise<MessagePreferences> {
    const unknown = Object.keys(request.decisions).filter((id) => !this.keyByTemplateId.has(id));
    if (unknown.length) throw new AppError('MESSAGE_TEMPLATE_UNKNOWN', undefined, { templateIds: unknown });
    const at = new Date(this.now());
    const { Quotas, Consents } = this.models;
    await Consents.insertMany(
      Object.entries(request.decisions).map(([templateId, decision]) => ({
        memberId,
        templateId,
        decision,
        scene: request.scene,
        at,
      })),
    );
    for (const [templateId, decision] of Object.entries(request.decisions)) {
      if (decision !== 'accept') continue;
      await Quotas.updateOne(
        { _id: quotaId(memberId, templateId) },
        { $inc: { quota: 1 }, $set: { updatedAt: at }, $setOnInsert: { memberId, templateId } },
        { upsert: true },
      );
    }
    return this.preferences(memberId);
  }

  async preferences(memberId: Types.ObjectId): Promise<MessagePreferences> {
    const { Quotas, Prefs } = this.models;
    const [quotas, prefs] = await Promise.all([
      Quotas.find({ memberId }, { templateId: 1, quota: 1 }).lean(),
      Prefs.findById(memberId).lean(),
    ]);
    const quotaOf = new Map(quotas.map((q) => [q.templateId, q.quota]));
    const muted = new Set(prefs?.muted ?? []);
    return {
      preferences: MessageKind.options.map((kind) => {
        const info = MessageKindInfo[kind];
        const templateId = this.templateIdOf(kind);
        return {
          kind,
          label: info.label,
          hint: info.hint,
          category: info.category,
          templateId,
          quota: quotaOf.get(templateId) ?? 0,
          muted: muted.has(kind),
        };
      }),
      scenes: Object.fromEntries(
        Object.entries(SCENE_TEMPLATES).map(([scene, keys]) => [scene, keys.map((k) => this.templateIds[k])]),
      ) as MessagePreferences['scenes'],
    };
  }

  async setMuted(memberId: Types.ObjectId, muted: MessageKind[]): Promise<MessagePreferences> {
    await this.models.Prefs.updateOne(
      { _id: memberId },
      { $set: { muted: [...new Set(muted)], updatedAt: new Date(this.now()) } },
      { upsert: true },
    );
    return this.preferences(memberId);
  }

  async mutedKinds(memberId: Types.ObjectId): Promise<Set<MessageKind>> {
    const prefs = await this.models.Prefs.findById(memberId, { muted: 1 }).lean();
    return new Set(prefs?.muted ?? []);
  }

  /**
   * Messages into the outbox, once per dedupe key: a key already there (a trigger seeing the same event again, a
   * replayed campaign) is counted as a duplicate and changes nothing.
   */
  async enqueue(messages: EnqueueInput[]): Promise<{ queued: number; duplicates: number }> {
    if (messages.length === 0) return { queued: 0, duplicates: 0 };
    const now = new Date(this.now());
    const rows = messages.map((m) => {
      const built = buildMessage(m.kind, m.input as never);
      return {
        dedupeKey: m.dedupeKey,
        memberId: m.memberId,
        kind: m.kind,
        category: built.category,
        templateId: this.templateIds[built.template],
        data: built.data,
        page: built.page,
        status: 'pending' as const,
        notBefore: m.notBefore ?? now,
        attempts: 0,
        claim: null,
        quotaSpent: false,
        msgid: null,
        sentAt: null,
        error: null,
        createdAt: now,
        updatedAt: now,
      };
    });
    try {
      // The driver's insert: the rows are complete already, and a daily scan writes a hundred thousand of them.
      const inserted = await this.models.Outbox.collection.insertMany(rows, { ordered: false });
      return { queued: inserted.insertedCount, duplicates: 0 };
    } catch (err) {
      const duplicates = duplicateCount(err);
      if (duplicates === null) throw err;
      return { queued: rows.length - duplicates, duplicates };
    }
  }

  /** The owner's view of the outbox, newest first, with counts per status. */
  async outboxPage(q: OutboxQuery): Promise<OutboxPage> {
    const { Outbox } = this.models;
    const filter: Record<string, unknown> = {};
    if (q.status) filter.status = q.status;
    if (q.kind) filter.kind = q.kind;
    const page = await Outbox.find(q.after ? { ...filter, _id: { $lt: new Types.ObjectId(q.after) } } : filter)
      .sort({ _id: -1 })
      .limit(q.limit + 1)
      .lean<OutboxDoc[]>();
    const rows = page.slice(0, q.limit);
    const members = await memberModel(this.conn)
      .find({ _id: { $in: rows.map((r) => r.memberId) } }, { memberNo: 1 })
      .lean<{ _id: Types.ObjectId; memberNo: string }[]>();
    const memberNo = new Map(members.map((m) => [m._id.toHexString(), m.memberNo]));
    const counted = await Outbox.aggregate<{ _id: string; n: number }>([
      { $match: q.kind ? { kind: q.kind } : {} },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(OutboxStatus.options.map((s) => [s, 0])) as OutboxPage['counts'];
    for (const c of counted) counts[c._id as keyof typeof counts] = c.n;
    const body: OutboxPage = {
      items: rows.map((r) => ({
        id: r._id.toHexString(),
        memberNo: memberNo.get(r.memberId.toHexString()) ?? '',
        kind: r.kind,
        category: r.category,
        templateId: r.templateId,
        data: r.data,
        page: r.page,
        status: r.status,
        attempts: r.attempts,
        notBefore: r.notBefore.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        error: r.error,
        createdAt: r.createdAt.toISOString(),
      })),
      next: page.length > q.limit ? (rows[rows.length - 1]?._id.toHexString() ?? null) : null,
      counts,
    };
    return body;
  }
}
