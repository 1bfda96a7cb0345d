// What a member does with their own account: profile, export, deletion (PIPL), and what staff/owners may change.
import { randomBytes } from 'node:crypto';
import type { UpdateProfileRequest } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { identityKey } from '../identity/keys';
import type { IdentityService } from '../identity/service';
import type { LedgerService } from '../ledger/service';
import { type Member, memberModel, storedValueFen } from './model';

export class MemberService {
  constructor(
    private readonly conn: Connection,
    private readonly identity: IdentityService,
    private readonly ledger: LedgerService,
    private readonly now: () => number = Date.now,
  ) {}

  async get(memberId: Types.ObjectId): Promise<Member> {
    const member = await memberModel(this.conn).findById(memberId).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    return member;
  }

  async updateProfile(memberId: Types.ObjectId, input: UpdateProfileRequest): Promise<Member> {
    const member = await this.get(memberId);
    const { birthday, ...rest } = input;
    const set: Record<string, unknown> = { ...rest };
    const filter: Record<string, unknown> = { _id: memberId, status: 'active' };
    if (birthday !== undefined && birthday !== member.birthday) {
      if (member.birthdayLocked) throw new AppError('BIRTHDAY_LOCKED');
      // Set once by the member (birthday coupons depend on it); the condition makes a race unable to set it twice.
      Object.assign(set, { birthday, birthdayLocked: true });
      filter.birthdayLocked = false;
    }
    const updated = await memberModel(this.conn)
      .findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' })
      .lean<Member>();
    if (!updated) throw new AppError('BIRTHDAY_LOCKED');
    return updated;
  }

  /** Staff or owner changing a locked birthday; the caller audits it with the reason. */
  async setBirthdayByStaff(
    memberId: Types.ObjectId,
    birthday: string,
  ): Promise<{ before: string | null; after: string }> {
    const member = await this.get(memberId);
    if (member.status !== 'active')
      throw new AppError(member.status === 'deleted' ? 'MEMBER_DELETED' : 'MEMBER_MERGED');
    await memberModel(this.conn).updateOne({ _id: memberId }, { $set: { birthday, birthdayLocked: true } });
    return { before: member.birthday, after: birthday };
  }

  /** Owner search: an exact phone (through the blind index), a member number, or part of a nickname. */
  async search(
    q: string | undefined,
    limit: number,
    after?: string,
  ): Promise<{ items: Member[]; next: string | null }> {
    const filter: Record<string, unknown> = {};
    const text = q?.trim() ?? '';
    if (/^1\d{10}$/.test(text.replace(/\D/g, '')) && text.replace(/[\s-]/g, '').length <= 13) {
      filter.identityKeys = this.identity.phoneKey(text);
    } else if (/^\d{8}$/.test(text)) {
      filter.memberNo = text;
    } else if (text) {
      filter.nickname = { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    }
    if (after && Types.ObjectId.isValid(after)) filter._id = { $lt: new Types.ObjectId(after) };
    const items = await memberModel(this.conn)
      .find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<Member[]>();
    const page = items.slice(0, limit);
    return { items: page, next: items.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
  }

  /** Everything we hold about the member, decrypted, as PIPL's right of access requires. */
  async exportData(memberId: Types.ObjectId): Promise<Record<string, unknown>> {
    const member = await this.get(memberId);
    const entries = await this.ledger.entriesOf(memberId);
    return {
      exportedAt: new Date(this.now()).toISOString(),
      member: {
        memberNo: member.memberNo,
        nickname: member.nickname,
        avatarUrl: member.avatarUrl,
        birthday: member.birthday,
        gender: member.gender,
        region: member.region,
        phone: this.identity.phoneOf(member),
        tier: member.tier,
        points: member.points,
        growth: member.growth,
        storedValueFen: storedValueFen(member),
        createdAt: member.createdAt.toISOString(),
      },
      wechat: member.wechat.map((w) => ({ appid: w.appid, openid: w.openid })),
      externalIds: member.externalIds,
      ledger: entries.map((e) => ({
        account: e.account,
        amount: e.amount,
        reason: e.reason,
        note: e.note,
        at: e.createdAt.toISOString(),
      })),
    };
  }

  /**
   * Account deletion: personal fields and identity keys are erased (the person can join again as a new member);
   * the member id stays as a pseudonymous owner of the ledgers, which the law requires us to keep.
   */
  async deleteAccount(memberId: Types.ObjectId): Promise<void> {
    const result = await memberModel(this.conn).updateOne(
      { _id: memberId, status: 'active' },
      {
        $set: {
          status: 'deleted',
          deletedAt: new Date(this.now()),
          identityKeys: [identityKey.retired(memberId.toHexString())],
          wechat: [],
          unionid: null,
          phone: null,
          externalIds: [],
          nickname: `已注销-${randomBytes(3).toString('hex')}`,
          avatarUrl: null,
          birthday: null,
          gender: 'unknown',
          region: null,
          cardCode: null,
        },
      },
    );
    if (result.matchedCount === 0) throw new AppError('MEMBER_DELETED');
  }
}
