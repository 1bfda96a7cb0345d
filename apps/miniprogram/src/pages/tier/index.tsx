import { formatPoints, type MyTier } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { LoadStatus } from '../../components/LoadStatus';
import { formatDateTime } from '../../loyalty/format';
import { multiplierText, tierProgress } from '../../loyalty/tier-progress';
import { errorMessage, loyalty } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './index.css';

export default function TierPage() {
  const [tier, setTier] = useState<MyTier | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  async function load() {
    const id = ++latest.current;
    setError(null);
    try {
      const loaded = await loyalty.tier();
      if (id === latest.current) setTier(loaded);
    } catch (e) {
      if (id === latest.current) setError(errorMessage(e, '加载失败，请稍后重试'));
    }
  }

  useDidShow(() => {
    void load();
  });

  if (!tier) {
    return (
      <View className="page">
        <LoadStatus error={error} onRetry={() => void load()} />
      </View>
    );
  }

  const progress = tierProgress(tier);

  return (
    <View className="page tier">
      <View className="hero">
        <Text className="hero__label">当前等级</Text>
        <Text className="tier-current">{tier.tier}</Text>
        <Text className="hero__note tier-growth">{progress.growthText}</Text>
        <View className="progress tier-progress">
          <View className="progress__bar" style={{ width: `${progress.percent}%` }} />
        </View>
        <Text className="hero__note tier-next">{progress.text}</Text>
      </View>

      <Text className="section-title">等级权益</Text>
      <View className="list tier-list">
        {tier.tiers.map((t) => {
          const current = t.name === tier.tier;
          return (
            <View key={t.name} className={`tier-row${current ? ' tier-row--current' : ''}`}>
              <View className="tier-row__head">
                <Text className="tier-row__name">{t.name}</Text>
                {current && <Text className="tag">当前</Text>}
                <Text className="tier-row__multiplier">{multiplierText(t.multiplierBp)}</Text>
              </View>
              <Text className="tier-row__threshold">
                {t.threshold === 0 ? '注册即享' : `成长值达到 ${formatPoints(t.threshold)}`}
              </Text>
              {t.benefits.length > 0 && <Text className="tier-row__benefits">{t.benefits.join(' · ')}</Text>}
            </View>
          );
        })}
      </View>
      <Text className="tier-hint">成长值按实付金额累计，每消费 ¥1 得 1 点，不会被消耗。</Text>

      <Text className="section-title">等级变动</Text>
      <View className="list tier-history">
        {tier.history.length === 0 ? (
          <Text className="empty">暂无等级变动</Text>
        ) : (
          tier.history.map((h) => (
            <View key={`${h.at}-${h.to}`} className="entry tier-history-entry">
              <View className="entry__main">
                <Text className="entry__note">
                  {h.from} → {h.to}
                </Text>
                {h.note ? <Text className="entry__time">{h.note}</Text> : null}
                <Text className="entry__time">{formatDateTime(h.at)}</Text>
              </View>
            </View>
          ))
        )}
      </View>
    </View>
  );
}
