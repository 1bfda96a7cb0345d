// What the message outbox keeps. Every message is first a row here (with a unique dedupe key), then the sender
// claims it, spends one consent and hands it to WeChat: a trigger that fires twice, or a sender that crashes half
// way, never makes a second message for one key.
import type { MessageCategory, MessageKind, OutboxStatus } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface OutboxDoc {
  _id: Types.ObjectId;
  dedupeKey: string;
  memberId: Types.ObjectId;
  kind: MessageKind;
  category: MessageCategory;
  templateId: string;
  /** Already fitted to the template's field rules when written. */
  data: Record<string, string>;
  page: string | null;
  status: OutboxStatus;
  /** Not sent before this (quiet hours move it; triggers may schedule ahead). */
  notBefore: Date;
  attempts: number;
  /** The sender that holds a `sending` row, and until when; a row left `sending` past it is `uncertain`. */
  claim: { token: string; until: Date } | null;
  /** Whether this message used up a consent (sent, or may have been); a refused send gives it back. */
  quotaSpent: boolean;
  msgid: string | null;
  sentAt: Date | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const OutboxSchema = new Schema<OutboxDoc>(
  {
    dedupeKey: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    category: { type: String, required: true },
    templateId: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    page: { type: String, default: null },
    status: { type: String, required: true, default: 'pending' },
    notBefore: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    claim: { type: Schema.Types.Mixed, default: null },
    quotaSpent: { type: Boolean, default: false },
    msgid: { type: String, default: null },
    sentAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'message_outbox', minimize: false },
);
OutboxSchema.index({ dedupeKey: 1 }, { unique: true });
// The sender's scan: due rows of one status, oldest first.
OutboxSchema.index({ status: 1, notBefore: 1 });
OutboxSchema.index({ memberId: 1, createdAt: -1 });

/** Sends left per (member, template): +1 per accepted consent, -1 per send. */
export interface QuotaDoc {
  _id: string;
  memberId: Types.ObjectId;
  templateId: string;
  quota: number;
  updatedAt: Date;
}
const QuotaSchema = new Schema<QuotaDoc>(
  {
    _id: String,
    memberId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    quota: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'subscribe_quotas' },
);
QuotaSchema.index({ memberId: 1 });

/** Every answer the member gave, append-only (which asking moments work, and proof of consent). */
export interface ConsentDoc {
  memberId: Types.ObjectId;
  templateId: string;
  decision: string;
  scene: string;
  at: Date;
}
const ConsentSchema = new Schema<ConsentDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    decision: { type: String, required: true },
    scene: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'subscribe_consents' },
);
ConsentSchema.index({ memberId: 1, at: -1 });

/** Marketing messages sent to a member in one China week (Monday first): the weekly cap's counter. */
export interface WeeklyCapDoc {
  _id: string;
  count: number;
}
const WeeklyCapSchema = new Schema<WeeklyCapDoc>(
  { _id: String, count: { type: Number, required: true } },
  { versionKey: false, collection: 'message_weekly_caps' },
);

/** The kinds a member turned off in the hub. */
export interface MessagePrefsDoc {
  _id: Types.ObjectId;
  muted: MessageKind[];
  updatedAt: Date;
}
const PrefsSchema = new Schema<MessagePrefsDoc>(
  { _id: Schema.Types.ObjectId, muted: { type: [String], default: [] }, updatedAt: Date },
  { versionKey: false, collection: 'message_prefs' },
);

function model<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}

export function messageModels(conn: Connection) {
  return {
    Outbox: model(conn, 'MessageOutbox', OutboxSchema),
    Quotas: model(conn, 'SubscribeQuota', QuotaSchema),
    Consents: model(conn, 'SubscribeConsent', ConsentSchema),
    WeeklyCaps: model(conn, 'MessageWeeklyCap', WeeklyCapSchema),
    Prefs: model(conn, 'MessagePrefs', PrefsSchema),
  };
}
