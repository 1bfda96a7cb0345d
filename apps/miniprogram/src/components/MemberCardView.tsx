import { formatFen, formatPoints, type MemberCard } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import './MemberCardView.css';

// One look per tier, so a member sees at a glance which card they hold.
const tierStyle: Record<MemberCard['tier'], string> = {
  普通会员: 'member-card--basic',
  银卡: 'member-card--silver',
  金卡: 'member-card--gold',
  黑钻: 'member-card--diamond',
};

export function MemberCardView({ member }: { member: MemberCard }) {
  return (
    <View className={`member-card ${tierStyle[member.tier]}`}>
      <View className="member-card__header">
        <Text className="member-card__title">会员卡</Text>
        <Text className="member-tier">{member.tier}</Text>
      </View>
      <Text className="member-card__name">{member.nickname ?? '尊敬的会员'}</Text>
      <View className="member-card__no">
        <Text className="member-card__label">会员号</Text>
        <Text className="member-no">{member.memberNo}</Text>
      </View>
      <View className="member-card__stats">
        <View className="member-card__stat">
          <Text className="member-card__label">积分</Text>
          <Text className="member-points">{formatPoints(member.points)}</Text>
        </View>
        <View className="member-card__stat">
          <Text className="member-card__label">储值余额</Text>
          <Text className="member-balance">{formatFen(member.storedValueFen)}</Text>
        </View>
      </View>
    </View>
  );
}
