// The first cells of a member row wherever members are listed (the members page, a segment's sample): 会员号 as a
// link to the member, 昵称, the masked phone and the tier. `badge` goes after the member number (已合并…).
import type { ReactNode } from 'react';
import { routeHref } from '../../route';
import { OrDash } from '../../ui';

export function MemberCells({
  member,
  badge,
}: {
  member: { memberId: string; memberNo: string; nickname: string | null; maskedPhone: string | null; tier: string };
  badge?: ReactNode;
}) {
  return (
    <>
      <td>
        <a href={routeHref({ page: 'member', id: member.memberId })} className="mono">
          {member.memberNo}
        </a>
        {badge}
      </td>
      <td>
        <OrDash value={member.nickname} />
      </td>
      <td className="mono">
        <OrDash value={member.maskedPhone} />
      </td>
      <td>{member.tier}</td>
    </>
  );
}
