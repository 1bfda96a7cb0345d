// What a member does with their own account: profile, export, deletion (PIPL), and what staff/owners may change.
import { randomBytes } from 'node:crypto';
import type { AdminMemberListQuery, AdminMemberSort, UpdateProfileRequest } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError, errors } from '../../errors';
import { identityKey } from '../identity/keys';
import type { IdentityService } from '../identity/service';
import type { LedgerService } from '../ledger/service';
import { assertActiveMember, type Member, memberModel, storedValueFen } from './model';

/**
 * A filter the member list cannot build from its own query: a segment's. `filter` is on the member document;
 * `keep` answers for the rest (which of these members pass), and `count` then counts exactly, with the list's
 * other filters applied.
 */
export interface MemberRestriction {
  filter: Record<string, unknown>;
  keep?: (ids: Types.ObjectId[]) => Promise<Set<string>>;
  count?: (otherFilter: Record<string, unknown>) => Promise<number>;
}

type SortField = 'createdAt' | 'points' | 'memberNo';
const SORT_FIELDS: Record<AdminMemberSort, SortField> = { joined: 'createdAt', points: 'points', memberNo: 'memberNo' };
const CURSOR_LETTERS: Record<AdminMemberSort, string> = { joined: 'j', points: 'p', memberNo: 'n' };

function and(parts: Record<string, unknown>[]): Record<string, unknown> {
  const nonEmpty = parts.filter((p) => Object.keys(p).length > 0);
  if (nonEmpty.length === 0) return {};
  return nonEmpty.length === 1 ? (nonEmpty[0] as Record<string, unknown>) : { $and: nonEmpty };
}

function sortValue(member: Pick<Member, SortField>, field: SortField): unknown {
  return field === 'createdAt' ? member.createdAt : member[field];
}

/** After (value, id) in the sort's direction: a greater value, or the same value and a greater id. */
function keyset(field: SortField, dir: 1 | -1, from: { value: unknown; id: Types.ObjectId }) {
  const op = dir === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: from.value } }, { [field]: from.value, _id: { [op]: from.id } }] };
}

/** `jd.1700000000000.<id>`: sort letter, a/d, the sort value, the member id. */
function encodeCursor(sort: AdminMemberSort, order: 'asc' | 'desc', member: Member): string {
  const value = sortValue(member, SORT_FIELDS[sort]);
  const text = value instanceof Date ? String(value.getTime()) : String(value);
  return `${CURSOR_LETTERS[sort]}${order[0]}.${text}.${member._id.toHexString()}`;
}

function decodeCursor(
  cursor: string,
  sort: AdminMemberSort,
  order: 'asc' | 'desc',
): { value: unknown; id: Types.ObjectId } | null {
  const match = /^([jpn])([ad])\.(-?\d{1,16})\.([0-9a-f]{24})$/.exec(cursor);
  if (!match || match[1] !== CURSOR_LETTERS[sort] || match[2] !== order[0]) return null;
  const text = match[3] as string;
  const value = sort === 'joined' ? new Date(Number(text)) : sort === 'points' ? Number(text) : text;
  return { value, id: new Types.ObjectId(match[4]) };
}

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
    assertActiveMember(member);
    await memberModel(this.conn).updateOne({ _id: memberId }, { $set: { birthday, birthdayLocked: true } });
    return { before: member.birthday, after: birthday };
  }

  /**
   * The owner's member list: search (an exact phone through the blind index, a member number, or part of a
   * nickname), filters (tier, tag, a segment's restriction), a sort, and keyset pages. The sort key is always
   * (field, _id), so members tied on the field (same join time, same points) keep one order and a page boundary
   * between them neither repeats nor skips anyone, however the rows change between pages.
   */
  async search(
    query: Pick<AdminMemberListQuery, 'q' | 'tier' | 'tagId' | 'sort' | 'order' | 'limit' | 'after'>,
    restriction?: MemberRestriction,
  ): Promise<{ items: Member[]; next: string | null; total: number }> {
    const parts: Record<string, unknown>[] = [];
    const text = query.q?.trim() ?? '';
    if (/^1\d{10}$/.test(text.replace(/\D/g, '')) && text.replace(/[\s-]/g, '').length <= 13) {
      parts.push({ identityKeys: this.identity.phoneKey(text) });
    } else if (/^\d{8}$/.test(text)) {
      parts.push({ memberNo: text });
    } else if (text) {
      parts.push({ nickname: { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' } });
    }
    if (query.tier) parts.push({ tier: query.tier });
    // A tag's members are its active members, as the tag's count counts them.
    if (query.tagId) parts.push({ tags: new Types.ObjectId(query.tagId), status: 'active' });
    const filters = restriction ? [...parts, restriction.filter] : parts;
    const filter = and(filters);
    const field = SORT_FIELDS[query.sort];
    const dir = query.order === 'asc' ? 1 : -1;
    const sort = { [field]: dir, _id: dir } as Record<string, 1 | -1>;
    const Members = memberModel(this.conn);

    let from = query.after ? await this.cursorPosition(query.after, query.sort, query.order) : null;
    const items: Member[] = [];
    // With a restriction the database cannot answer (a segment on RFM classes or activity), candidates are read in
    // order in growing chunks and the restriction keeps those that pass.
    let chunk = restriction?.keep ? Math.max(query.limit * 2, 50) : query.limit + 1;
    for (;;) {
      const rows = await Members.find(from ? and([filter, keyset(field, dir, from)]) : filter)
        .sort(sort)
        .limit(chunk)
        .lean<Member[]>();
      const kept = restriction?.keep ? await restriction.keep(rows.map((r) => r._id)) : null;
      for (const row of rows) {
        if (kept && !kept.has(row._id.toHexString())) continue;
        items.push(row);
        if (items.length > query.limit) break;
      }
      const last = rows.at(-1);
      if (!kept || items.length > query.limit || rows.length < chunk || !last) break;
      from = { value: sortValue(last, field), id: last._id };
      chunk = Math.min(chunk * 2, 1_000);
    }
    const page = items.slice(0, query.limit);
    const tail = page.at(-1);
    const next = items.length > query.limit && tail ? encodeCursor(query.sort, query.order, tail) : null;
    const total = restriction?.count
      ? await restriction.count(and(parts))
      : filters.length === 0
        ? await Members.estimatedDocumentCount()
        : await Members.countDocuments(filter);
    return { items: page, next, total };
  }

  /** Where a page starts: a cursor from `next`, or (as older pages gave) the id of the last member shown. */
  private async cursorPosition(
    after: string,
    sort: AdminMemberSort,
    order: 'asc' | 'desc',
  ): Promise<{ value: unknown; id: Types.ObjectId }> {
    const parsed = decodeCursor(after, sort, order);
    if (parsed) return parsed;
    if (/^[0-9a-f]{24}$/.test(after)) {
      const member = await memberModel(this.conn)
        .findById(after, { createdAt: 1, points: 1, memberNo: 1 })
        .lean<Member>();
      if (member) return { value: sortValue(member, SORT_FIELDS[sort]), id: member._id };
    }
    throw errors.validation([{ path: 'after', code: 'custom', message: '翻页参数无效，请从第一页开始' }]);
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
