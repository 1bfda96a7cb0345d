// Who is this person? Linking rules live here. Today: (appid, openid) from code2Session finds or creates a member.
import type { Connection } from 'mongoose';
import { AppError } from '../../errors';
import { nextSequence } from '../../lib/sequence';
import { WechatApiError, type WechatClient, WechatUnavailableError } from '../../wechat/client';
import { type Member, memberModel } from '../members/model';

/** Member numbers start at 10000001 so every number has 8 digits. */
const MEMBER_NO_BASE = 10_000_000;

const DUPLICATE_KEY = 11000;

function toAppError(err: unknown): never {
  if (err instanceof WechatApiError) {
    // 40029 invalid code, 40163 code already used: the client should call wx.login again.
    if (err.errcode === 40029 || err.errcode === 40163) throw new AppError('WECHAT_CODE_INVALID');
    if (err.errcode === 45011) throw new AppError('WECHAT_RATE_LIMITED');
    if (err.errcode === 40226) throw new AppError('WECHAT_RISKY_USER');
    throw new AppError('WECHAT_UNAVAILABLE', undefined, { errcode: err.errcode });
  }
  if (err instanceof WechatUnavailableError) throw new AppError('WECHAT_UNAVAILABLE');
  throw err;
}

export class IdentityService {
  constructor(
    private readonly conn: Connection,
    private readonly wechat: WechatClient,
  ) {}

  async loginWithWechat(code: string): Promise<{ member: Member; isNew: boolean }> {
    const session = await this.wechat.code2Session(code).catch(toAppError);
    const Members = memberModel(this.conn);
    const key = { appid: this.wechat.appid, openid: session.openid };
    const existing = await Members.findOne(key).lean<Member>();
    if (existing) return { member: existing, isNew: false };
    const memberNo = String(MEMBER_NO_BASE + (await nextSequence(this.conn, 'memberNo')));
    try {
      const created = await Members.create({ ...key, unionid: session.unionid, memberNo });
      return { member: created.toObject(), isNew: true };
    } catch (err) {
      // Two first logins of the same person raced: the other one created the member; use it.
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      const winner = await Members.findOne(key).lean<Member>();
      if (!winner) throw err;
      return { member: winner, isNew: false };
    }
  }
}
