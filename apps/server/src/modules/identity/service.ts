// Who is this person? All linking rules live here. Every way a person arrives (WeChat openid, unionid, phone,
// POS / shop ids) is an identity key; a key already known leads to that member instead of creating a second one.
import type { Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { maskPhone, normalizePhone, type PersonalDataVault } from '../../lib/personalData';
import { nextSequence } from '../../lib/sequence';
import { WechatApiError, type WechatClient, WechatUnavailableError } from '../../wechat/client';
import { type Member, memberModel } from '../members/model';
import type { PaidCallService } from '../paidCalls/service';
import { identityKey } from './keys';

/** Member numbers start at 10000001 so every number has 8 digits. */
const MEMBER_NO_BASE = 10_000_000;
const DUPLICATE_KEY = 11000;
const PHONE_CONTEXT = 'phone';

function wechatError(err: unknown, invalidCode: 'WECHAT_CODE_INVALID' | 'PHONE_CODE_INVALID'): never {
  if (err instanceof WechatApiError) {
    // 40029 invalid code, 40163 code already used: the client should ask WeChat for a new code.
    if (err.errcode === 40029 || err.errcode === 40163) throw new AppError(invalidCode);
    if (err.errcode === 45011) throw new AppError('WECHAT_RATE_LIMITED');
    if (err.errcode === 40226) throw new AppError('WECHAT_RISKY_USER');
    throw new AppError('WECHAT_UNAVAILABLE', undefined, { errcode: err.errcode });
  }
  if (err instanceof WechatUnavailableError) throw new AppError('WECHAT_UNAVAILABLE');
  throw err;
}

const isDuplicate = (err: unknown) => (err as { code?: number }).code === DUPLICATE_KEY;

export interface NewMemberFields {
  keys: string[];
  wechat?: { appid: string; openid: string }[];
  unionid?: string | null;
  phone?: string;
  externalIds?: { source: string; id: string }[];
  nickname?: string | null;
}

/** Merging is a flow of its own (flows/mergeMembers); identity only needs to ask for one. */
export type MergeInto = (sourceId: Types.ObjectId, targetId: Types.ObjectId, reason: string) => Promise<unknown>;

export class IdentityService {
  constructor(
    private readonly conn: Connection,
    private readonly wechat: WechatClient,
    private readonly vault: PersonalDataVault,
    /** Counts the billed phone-number calls; tools that never bind phones (an import worker) leave it out. */
    private readonly paidCalls: PaidCallService | null = null,
  ) {}

  private get members() {
    return memberModel(this.conn);
  }

  phoneKey(phone: string): string {
    return identityKey.phone(this.vault.blindIndex(normalizePhone(phone), PHONE_CONTEXT));
  }

  sealPhone(phone: string) {
    return this.vault.seal(normalizePhone(phone), PHONE_CONTEXT);
  }

  phoneOf(member: Pick<Member, 'phone'>): string | null {
    return member.phone ? this.vault.open(member.phone, PHONE_CONTEXT) : null;
  }

  maskedPhoneOf(member: Pick<Member, 'phone'>): string | null {
    const phone = this.phoneOf(member);
    return phone ? maskPhone(phone) : null;
  }

  /** Finds the live member any of these keys points at. */
  findByKeys(keys: string[]): Promise<Member | null> {
    return this.members.findOne({ identityKeys: { $in: keys }, status: { $in: ['active', 'merging'] } }).lean<Member>();
  }

  findByPhone(phone: string): Promise<Member | null> {
    return this.findByKeys([this.phoneKey(phone)]);
  }

  /** Creates a member; if a concurrent request created one with any of the same keys, returns that one. */
  async createMember(fields: NewMemberFields): Promise<{ member: Member; isNew: boolean }> {
    const memberNo = String(MEMBER_NO_BASE + (await nextSequence(this.conn, 'memberNo')));
    try {
      const created = await this.members.create({
        memberNo,
        identityKeys: fields.keys,
        wechat: fields.wechat ?? [],
        unionid: fields.unionid ?? null,
        phone: fields.phone ? this.sealPhone(fields.phone) : null,
        externalIds: fields.externalIds ?? [],
        nickname: fields.nickname ?? null,
      });
      return { member: created.toObject(), isNew: true };
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      const winner = await this.findByKeys(fields.keys);
      if (!winner) throw err;
      return { member: winner, isNew: false };
    }
  }

  async loginWithWechat(code: string): Promise<{ member: Member; isNew: boolean }> {
    const session = await this.wechat.code2Session(code).catch((err) => wechatError(err, 'WECHAT_CODE_INVALID'));
    const wx = identityKey.wechat(this.wechat.appid, session.openid);
    const keys = session.unionid ? [wx, identityKey.unionid(session.unionid)] : [wx];
    const existing = await this.findByKeys(keys);
    if (existing) {
      // Known through the unionid (another app of this brand): remember this app's openid too.
      if (!existing.identityKeys.includes(wx))
        await this.addKeys(existing._id, [wx], { wechat: { appid: this.wechat.appid, openid: session.openid } });
      return { member: existing, isNew: false };
    }
    return this.createMember({
      keys,
      wechat: [{ appid: this.wechat.appid, openid: session.openid }],
      unionid: session.unionid,
    });
  }

  /**
   * Binds the phone from a getPhoneNumber code. A phone already known (POS, import, another account) links:
   * this member is merged into the one that had the phone, which survives with its history.
   * 手机号快速验证 is billed per use: each code exchanged here stands for one paid use and is counted. A member who
   * has a phone is refused before WeChat is asked (the mini-program shows the button only to members without one);
   * changing a bound phone is a deliberate action of its own, not a repeat of this one.
   */
  async bindPhone(
    memberId: Types.ObjectId,
    phoneCode: string,
    mergeInto: MergeInto,
  ): Promise<{ memberId: Types.ObjectId; linkedExisting: boolean }> {
    const member = await this.members.findById(memberId).lean<Member>();
    if (member?.status !== 'active') throw new AppError('TOKEN_INVALID');
    if (member.phone) throw new AppError('PHONE_ALREADY_BOUND');
    const info = await this.wechat.getPhoneNumber(phoneCode).catch((err) => wechatError(err, 'PHONE_CODE_INVALID'));
    await this.paidCalls?.record('getuserphonenumber');
    const phone = normalizePhone(info.purePhoneNumber);
    const key = this.phoneKey(phone);
    const owner = await this.findByKeys([key]);
    if (owner && !owner._id.equals(memberId)) {
      await mergeInto(memberId, owner._id, '绑定手机号时关联到已有会员');
      return { memberId: owner._id, linkedExisting: true };
    }
    try {
      await this.members.updateOne(
        { _id: memberId, phone: null },
        { $set: { phone: this.sealPhone(phone) }, $addToSet: { identityKeys: key } },
      );
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      // Someone else bound the same phone a moment ago: link to them instead.
      const winner = await this.findByKeys([key]);
      if (!winner) throw err;
      await mergeInto(memberId, winner._id, '绑定手机号时关联到已有会员');
      return { memberId: winner._id, linkedExisting: true };
    }
    return { memberId, linkedExisting: false };
  }

  /**
   * A POS or online shop reports a customer: the external id, else the phone, finds the member; otherwise one
   * is created. Either way the external id ends up linked to exactly one member.
   */
  async resolveExternal(input: {
    source: string;
    id: string;
    phone?: string;
    nickname?: string;
  }): Promise<{ member: Member; isNew: boolean }> {
    const ext = identityKey.external(input.source, input.id);
    const byExternal = await this.findByKeys([ext]);
    if (byExternal) return { member: byExternal, isNew: false };
    if (input.phone) {
      const byPhone = await this.findByPhone(input.phone);
      if (byPhone) {
        await this.linkExternal(byPhone._id, input.source, input.id);
        return { member: byPhone, isNew: false };
      }
    }
    const keys = [ext, ...(input.phone ? [this.phoneKey(input.phone)] : [])];
    return this.createMember({
      keys,
      phone: input.phone,
      externalIds: [{ source: input.source, id: input.id }],
      nickname: input.nickname ?? null,
    });
  }

  /** Links an external id to a member; refuses when it already identifies someone else. */
  async linkExternal(memberId: Types.ObjectId, source: string, id: string): Promise<void> {
    const key = identityKey.external(source, id);
    try {
      await this.addKeys(memberId, [key], { externalIds: { source, id } });
    } catch (err) {
      if (isDuplicate(err)) throw new AppError('CONFLICT', '该外部会员号已关联其他会员', { source, id });
      throw err;
    }
  }

  private async addKeys(memberId: Types.ObjectId, keys: string[], push: Record<string, unknown>): Promise<void> {
    const addToSet: Record<string, unknown> = { identityKeys: { $each: keys } };
    for (const [field, value] of Object.entries(push)) addToSet[field] = value;
    await this.members.updateOne({ _id: memberId }, { $addToSet: addToSet });
  }
}
