// Which templates birthdays, tiers and referrals give, and the referral rules. A shop starts with the templates of
// ../shared/docs/domain-rules.md (birthday ¥10 / ¥20, monthly ¥20 / ¥50 for 金卡 / 黑钻, ¥50 off ¥200 for both
// sides of a referral): they are created once, by key, and the owner edits them like any other template.
import { CouponSettings, type CouponTemplateInput, CouponTemplateInput as TemplateSchema } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { AppError } from '../../errors';
import { type CouponTemplateDoc, couponModels } from './model';
import type { CouponService } from './service';

const SETTINGS_ID = 'coupons';
const CACHE_MS = 5_000;

const cashOff = (title: string, valueFen: number, thresholdFen: number, days: number): CouponTemplateInput => ({
  title,
  effect: { kind: 'cash_off', valueFen },
  conditions: { thresholdFen, storeIds: [], categories: [], stackable: false },
  validity: { type: 'relative', days },
  perMemberLimit: 100,
});

/** The templates every shop starts with, by system key. */
export const DEFAULT_TEMPLATES: Record<string, CouponTemplateInput> = {
  'birthday-10': { ...cashOff('生日券 ¥10', 1_000, 0, 30), description: '生日快乐！到店消费可用' },
  'birthday-20': { ...cashOff('生日券 ¥20', 2_000, 0, 30), description: '生日快乐！到店消费可用' },
  'monthly-20': { ...cashOff('金卡月礼 ¥20', 2_000, 10_000, 30), description: '金卡会员每月礼券' },
  'monthly-50': { ...cashOff('黑钻月礼 ¥50', 5_000, 20_000, 30), description: '黑钻会员每月礼券' },
  'referral-50': { ...cashOff('邀请有礼 ¥50', 5_000, 20_000, 30), description: '邀请好友，首单后双方各得' },
  // Sent by the win-back message trigger to members 30 / 90 days since their last visit; deactivate to stop it.
  'win-back-30': { ...cashOff('好久不见 ¥10', 1_000, 5_000, 14), description: '30 天未到店的回归礼券' },
  'win-back-90': { ...cashOff('回归礼 ¥20', 2_000, 10_000, 14), description: '90 天未到店的回归礼券' },
};

function defaultSettings(ids: Record<string, string | null>): CouponSettings {
  return {
    tierGifts: [
      { tier: '普通会员', birthdayTemplateId: ids['birthday-10'] ?? null, monthlyTemplateId: null },
      { tier: '银卡', birthdayTemplateId: ids['birthday-20'] ?? null, monthlyTemplateId: null },
      { tier: '金卡', birthdayTemplateId: ids['birthday-20'] ?? null, monthlyTemplateId: ids['monthly-20'] ?? null },
      { tier: '黑钻', birthdayTemplateId: ids['birthday-20'] ?? null, monthlyTemplateId: ids['monthly-50'] ?? null },
    ],
    referral: {
      enabled: true,
      rewardTemplateId: ids['referral-50'] ?? null,
      holdDays: 7,
      dailyLimit: 20,
      acceptWithinHours: 24,
    },
  };
}

export class CouponSettingsService {
  private cache: { settings: CouponSettings; at: number } | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly coupons: CouponService,
    private readonly now: () => number = Date.now,
  ) {}

  private collection() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string; settings: CouponSettings; updatedAt: Date }>('settings');
  }

  /** Creates the starting templates that do not exist yet (by key). Safe to run on every start, concurrently. */
  async ensureDefaults(): Promise<void> {
    const { Templates } = couponModels(this.conn);
    for (const [key, input] of Object.entries(DEFAULT_TEMPLATES)) {
      if (await Templates.exists({ systemKey: key })) continue;
      try {
        await this.coupons.createTemplate(TemplateSchema.parse(input), key);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // another copy created it first
      }
    }
  }

  async get(): Promise<CouponSettings> {
    if (this.cache && this.now() - this.cache.at < CACHE_MS) return this.cache.settings;
    const doc = await this.collection().findOne({ _id: SETTINGS_ID });
    let settings: CouponSettings;
    if (doc) settings = CouponSettings.parse(doc.settings);
    else settings = await this.storeDefaults();
    this.cache = { settings, at: this.now() };
    return settings;
  }

  /**
   * The first read of a new shop: the defaults naming the starting templates, stored once so later reads are one
   * lookup (a concurrent first read storing the same defaults loses the race harmlessly).
   */
  private async storeDefaults(): Promise<CouponSettings> {
    await this.ensureDefaults();
    const system = await couponModels(this.conn)
      .Templates.find({ systemKey: { $ne: null } })
      .lean<CouponTemplateDoc[]>();
    const settings = defaultSettings(
      Object.fromEntries(system.map((t) => [t.systemKey as string, t._id.toHexString()])),
    );
    try {
      await this.collection().updateOne(
        { _id: SETTINGS_ID },
        { $setOnInsert: { settings, updatedAt: new Date(this.now()) } },
        { upsert: true },
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const stored = await this.collection().findOne({ _id: SETTINGS_ID });
    return stored ? CouponSettings.parse(stored.settings) : settings;
  }

  async update(input: CouponSettings): Promise<CouponSettings> {
    const ids = [
      ...input.tierGifts.flatMap((g) => [g.birthdayTemplateId, g.monthlyTemplateId]),
      input.referral.rewardTemplateId,
    ].filter((id): id is string => id !== null);
    const known = await couponModels(this.conn)
      .Templates.find({ _id: { $in: ids } }, { _id: 1 })
      .lean<{ _id: { toHexString(): string } }[]>();
    const knownIds = new Set(known.map((k) => k._id.toHexString()));
    const missing = ids.filter((id) => !knownIds.has(id));
    if (missing.length)
      throw new AppError(
        'VALIDATION_FAILED',
        '所选优惠券模板不存在',
        missing.map((id) => ({ templateId: id })),
      );
    await this.collection().updateOne(
      { _id: SETTINGS_ID },
      { $set: { settings: input, updatedAt: new Date(this.now()) } },
      { upsert: true },
    );
    this.cache = { settings: input, at: this.now() };
    return input;
  }
}
