// The rotating member code: 8 digits = HMAC(server secret, member id | time window | attempt), shown as QR + barcode +
// digits. A code is accepted in its window plus a short grace, once. The code -> member map lives in card_codes
// (unique code, TTL), because 8 digits cannot carry the member id and a MAC at the same time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MemberCode } from '@member-hub/shared';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import { AppError } from '../../errors';
import { BatchedReads } from '../../lib/groupCommit';
import { type Member, memberModel } from '../members/model';

interface CardCodeRecord {
  _id: Types.ObjectId;
  numeric: string;
  window: number;
  attempt: number;
  memberId: Types.ObjectId;
  usedAt: Date | null;
  usedBy: string | null;
  expiresAt: Date;
}

const CardCodeSchema = new Schema<CardCodeRecord>(
  {
    numeric: { type: String, required: true },
    window: { type: Number, required: true },
    attempt: { type: Number, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: String, default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// While a code can still be scanned, it names exactly one member.
CardCodeSchema.index({ numeric: 1 }, { unique: true });
CardCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
CardCodeSchema.index({ memberId: 1, usedBy: 1 });

function cardCodeModel(conn: Connection): Model<CardCodeRecord> {
  return (
    (conn.models.CardCode as Model<CardCodeRecord> | undefined) ??
    conn.model<CardCodeRecord>('CardCode', CardCodeSchema, 'card_codes')
  );
}

export interface MemberCodeSettings {
  secret: string;
  windowSeconds: number;
  graceSeconds: number;
  brandId: string;
}

const MAX_ATTEMPTS = 8;
/** Kept after its window long enough that a late scan gets "expired" rather than "unknown". */
const KEEP_AFTER_WINDOW_MS = 10 * 60 * 1000;
const QR_PREFIX = 'MH1';

export class MemberCodeService {
  constructor(
    private readonly conn: Connection,
    private readonly settings: MemberCodeSettings,
    private readonly now: () => number = Date.now,
  ) {}

  static model = cardCodeModel;

  private windowAt(ms: number): number {
    return Math.floor(ms / 1000 / this.settings.windowSeconds);
  }

  private windowEnd(window: number): number {
    return (window + 1) * this.settings.windowSeconds * 1000;
  }

  numericFor(memberId: Types.ObjectId, window: number, attempt: number): string {
    const mac = createHmac('sha256', this.settings.secret)
      .update(`${memberId.toHexString()}|${window}|${attempt}`)
      .digest();
    return (mac.readBigUInt64BE(0) % 100_000_000n).toString().padStart(8, '0');
  }

  present(numeric: string, window: number): MemberCode {
    return {
      numeric,
      qrPayload: `${QR_PREFIX}:${this.settings.brandId}:${numeric}`,
      refreshAt: new Date(this.windowEnd(window)).toISOString(),
    };
  }

  /** The member's code for the current window, issuing one when the cached one is stale or was used. */
  async currentCode(member: Pick<Member, '_id' | 'cardCode'>): Promise<MemberCode> {
    const window = this.windowAt(this.now());
    if (member.cardCode && member.cardCode.window === window) return this.present(member.cardCode.numeric, window);
    const Codes = cardCodeModel(this.conn);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const numeric = this.numericFor(member._id, window, attempt);
      const expiresAt = new Date(this.windowEnd(window) + this.settings.graceSeconds * 1000 + KEEP_AFTER_WINDOW_MS);
      try {
        await Codes.create({ numeric, window, attempt, memberId: member._id, expiresAt });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // Taken: by this member a moment ago (a parallel request, reuse it unless scanned), or by someone else.
        const holder = await Codes.findOne({ numeric }).lean<CardCodeRecord>();
        if (!(holder?.memberId.equals(member._id) && holder.window === window && !holder.usedAt)) continue;
      }
      await memberModel(this.conn).updateOne({ _id: member._id }, { $set: { cardCode: { window, numeric } } });
      return this.present(numeric, window);
    }
    throw new AppError('CONFLICT', '会员码生成失败，请稍后重试');
  }

  /** Accepts a scanned QR payload or typed digits; marks the code used and returns the member it names. */
  async redeem(input: string, usedBy: string): Promise<Member> {
    const numeric = this.parse(input);
    const Codes = cardCodeModel(this.conn);
    // Claim first (one round trip at the till); a code that then proves forged or expired is dead anyway.
    const claimed = await Codes.findOneAndUpdate(
      { numeric, usedAt: null },
      { $set: { usedAt: new Date(this.now()), usedBy } },
      { returnDocument: 'before' },
    ).lean<CardCodeRecord>();
    if (!claimed) {
      const exists = await Codes.exists({ numeric });
      throw new AppError(exists ? 'MEMBER_CODE_USED' : 'MEMBER_CODE_INVALID');
    }
    // The stored mapping must match the MAC: a row written by anything but this service is not trusted.
    const expected = Buffer.from(this.numericFor(claimed.memberId, claimed.window, claimed.attempt));
    if (!timingSafeEqual(expected, Buffer.from(numeric))) throw new AppError('MEMBER_CODE_INVALID');
    if (this.now() > this.windowEnd(claimed.window) + this.settings.graceSeconds * 1000) {
      throw new AppError('MEMBER_CODE_EXPIRED');
    }
    // The scanned member, read in the same round trip that retires the card's current code (the card then shows a
    // fresh one on its next refresh).
    const member = await memberModel(this.conn)
      .findOneAndUpdate(
        { _id: claimed.memberId },
        [{ $set: { cardCode: { $cond: [{ $eq: ['$cardCode.numeric', numeric] }, null, '$cardCode'] } } }],
        { returnDocument: 'after', updatePipeline: true },
      )
      .lean<Member>();
    if (!member) throw new AppError('MEMBER_CODE_INVALID');
    return member;
  }

  /** Whether this cashier scanned this member within `withinMs` (purchases and payments at the till need it). */
  async scannedRecently(memberId: Types.ObjectId, staffId: string, withinMs: number): Promise<boolean> {
    const since = this.now() - withinMs;
    return (await this.recentScans.load(`${memberId.toHexString()}|${staffId}|${since}`)) !== null;
  }

  /** Concurrent till requests check their scans in one query; each key keeps its own time limit. */
  private readonly recentScans = new BatchedReads<true>(async (keys) => {
    const asked = keys.map((k) => {
      const [memberId = '', staffId = '', since = '0'] = k.split('|');
      return { key: k, memberId, staffId, since: Number(since) };
    });
    const scans = await cardCodeModel(this.conn)
      .collection.find(
        {
          memberId: { $in: [...new Set(asked.map((a) => a.memberId))].map((id) => new Types.ObjectId(id)) },
          usedBy: { $in: [...new Set(asked.map((a) => a.staffId))] },
          usedAt: { $gte: new Date(Math.min(...asked.map((a) => a.since))) },
        },
        { projection: { memberId: 1, usedBy: 1, usedAt: 1 } },
      )
      .toArray();
    const found = new Map<string, true>();
    for (const a of asked) {
      const hit = scans.some(
        (s) => String(s.memberId) === a.memberId && s.usedBy === a.staffId && (s.usedAt as Date).getTime() >= a.since,
      );
      if (hit) found.set(a.key, true);
    }
    return found;
  });

  private parse(input: string): string {
    const text = input.trim();
    const qr = /^([A-Z0-9]+):([a-z0-9-]+):(\d{8})$/.exec(text);
    if (qr) {
      if (qr[1] !== QR_PREFIX) throw new AppError('MEMBER_CODE_INVALID');
      if (qr[2] !== this.settings.brandId) throw new AppError('MEMBER_CODE_OTHER_BRAND');
      return qr[3] as string;
    }
    const digits = text.replace(/[\s-]/g, '');
    if (/^\d{8}$/.test(digits)) return digits;
    throw new AppError('MEMBER_CODE_INVALID');
  }
}
