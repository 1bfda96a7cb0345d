import type {
  AdminMemberDetail,
  AdminMemberRow,
  MemberBasics,
  MemberCard,
  MemberSummary,
  MyProfile,
  TagBadge,
} from '@member-hub/shared';
import { describeKey } from '../identity/keys';
import { type Member, storedValueFen } from './model';

export function presentMemberCard(member: Member): MemberCard {
  return {
    memberId: member._id.toHexString(),
    memberNo: member.memberNo,
    tier: member.tier,
    points: member.points,
    growth: member.growth,
    storedValueFen: storedValueFen(member),
    nickname: member.nickname,
  };
}

/** The member's own view: the only place the phone number leaves the server unmasked. */
export function presentMyProfile(member: Member, phone: string | null): MyProfile {
  return {
    memberId: member._id.toHexString(),
    memberNo: member.memberNo,
    nickname: member.nickname,
    avatarUrl: member.avatarUrl,
    birthday: member.birthday,
    birthdayLocked: member.birthdayLocked,
    gender: member.gender,
    region: member.region,
    phone,
  };
}

function presentBasics(member: Member, maskedPhone: string | null): MemberBasics {
  return {
    memberId: member._id.toHexString(),
    memberNo: member.memberNo,
    nickname: member.nickname,
    maskedPhone,
    tier: member.tier,
    points: member.points,
    storedValueFen: storedValueFen(member),
  };
}

/** What staff see after a scan, with the coupons the till can apply for this member now. */
export function presentMemberSummary(
  member: Member,
  maskedPhone: string | null,
  coupons: { _id: { toHexString(): string }; title: string }[],
): MemberSummary {
  return {
    ...presentBasics(member, maskedPhone),
    coupons: coupons.map((c) => ({ id: c._id.toHexString(), title: c.title })),
  };
}

/** Tag names by id (TagService.badges); an id with no tag any more (deleted meanwhile) is left out. */
export type TagBadges = Map<string, TagBadge>;

export function presentAdminRow(member: Member, maskedPhone: string | null, badges: TagBadges): AdminMemberRow {
  return {
    ...presentBasics(member, maskedPhone),
    createdAt: member.createdAt.toISOString(),
    // A merge in progress is shown as merged: the member can no longer be used.
    status: member.status === 'merging' ? 'merged' : member.status,
    tags: (member.tags ?? []).flatMap((id) => {
      const badge = badges.get(id.toHexString());
      return badge ? [badge] : [];
    }),
  };
}

export function presentAdminDetail(member: Member, maskedPhone: string | null, badges: TagBadges): AdminMemberDetail {
  return {
    ...presentAdminRow(member, maskedPhone, badges),
    birthday: member.birthday,
    gender: member.gender,
    region: member.region,
    growth: member.growth,
    identities: member.identityKeys.map(describeKey),
    mergedInto: member.mergedInto?.toHexString() ?? null,
  };
}
