import type { MemberCard } from '@member-hub/shared';
import type { Member } from './model';

export function presentMemberCard(member: Member): MemberCard {
  return {
    memberId: member._id.toHexString(),
    memberNo: member.memberNo,
    tier: member.tier,
    points: member.points,
    growth: member.growth,
    storedValueFen: member.storedValueFen,
    nickname: member.nickname,
  };
}
