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

/**
 * `onTierTap`: the tier badge opens the tier page; `onBalanceTap`: the balance opens 储值 (the home card). Without
 * them both are plain text.
 */
export function MemberCardView({
  member,
  onTierTap,
  onBalanceTap,
}: {
  member: MemberCard;
  onTierTap?: () => void;
  onBalanceTap?: () => void;
}) {
  return (
    <View className={`member-card ${tierStyle[member.tier]}`}>
      <View className="member-card__header">
        <Text className="member-card__title">会员卡</Text>
        <View className="member-card__tier" onClick={onTierTap}>
          <Text className="member-tier">{member.tier}</Text>
          {onTierTap && <Text className="member-card__tier-arrow">›</Text>}
        </View>
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
        <View className="member-card__stat member-card__balance" onClick={onBalanceTap}>
          <Text className="member-card__label">储值余额{onBalanceTap ? ' ›' : ''}</Text>
          <Text className="member-balance">{formatFen(member.storedValueFen)}</Text>
        </View>
      </View>
    </View>
  );
}
