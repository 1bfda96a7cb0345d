import { formatPoints, type PointsEntry, type PointsSummary } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { AccountDeleted } from '../../components/AccountDeleted';
import { LoadStatus } from '../../components/LoadStatus';
import { PagerFooter } from '../../components/PagerFooter';
import { formatDate, formatDateTime, signedPoints } from '../../loyalty/format';
import { createPager, type Pager, type PagerState } from '../../loyalty/pager';
import { remindToast } from '../../messages/preferences';
import { consent, errorMessage, loyalty } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';

const SHORTCUTS = [
  { text: '签到', icon: '签', url: '/pages/tasks/index', className: 'points-link-tasks' },
  { text: '积分商城', icon: '礼', url: '/pages/mall/index', className: 'points-link-mall' },
  { text: '会员等级', icon: '级', url: '/pages/tier/index', className: 'points-link-tier' },
] as const;

export default function PointsPage() {
  const [summary, setSummary] = useState<PointsSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [history, setHistory] = useState<PagerState<PointsEntry> | null>(null);
  const pager = useRef<Pager<PointsEntry> | null>(null);
  const latest = useRef(0);

  pager.current ??= createPager({
    load: async (after) => loyalty.history(after),
    onChange: setHistory,
    describeError: (error) => errorMessage(error, '积分记录加载失败'),
  });

  async function load() {
    if (deletedFlag.get()) {
      setDeleted(true);
      return;
    }
    setDeleted(false);
    // So that 订阅积分提醒 opens WeChat's sheet within the tap.
    consent.prefetch();
    const id = ++latest.current;
    setSummaryError(null);
    // A tab stays mounted: every show re-reads the balance and the newest entries (a purchase may just have landed).
    void pager.current?.reload();
    try {
      const loaded = await loyalty.points();
      if (id === latest.current) setSummary(loaded);
    } catch (error) {
      if (id === latest.current) setSummaryError(errorMessage(error, '加载失败，请稍后重试'));
    }
  }

  useDidShow(() => {
    void load();
  });
  useReachBottom(() => {
    void pager.current?.loadMore();
  });

  // Straight from the tap: WeChat opens its consent sheet only in answer to one.
  async function remind() {
    const toast = remindToast(await consent.ask('points_page'));
    if (toast) void Taro.showToast({ ...toast, duration: 2500 });
  }

  if (deleted) {
    return (
      <View className="page">
        <AccountDeleted onRejoin={() => void load()} />
      </View>
    );
  }

  if (!summary) {
    return (
      <View className="page points">
        <LoadStatus error={summaryError} onRetry={() => void load()} />
      </View>
    );
  }

  return (
    <View className="page points">
      <View className="hero">
        <Text className="hero__label">我的积分</Text>
        <Text className="hero__value points-balance">{formatPoints(summary.points)}</Text>
        {summary.nextExpiry && (
          <Text className="hero__note points-expiry">
            {formatPoints(summary.nextExpiry.points)} 积分将于 {formatDate(summary.nextExpiry.on)} 过期
          </Text>
        )}
        {summary.points < 0 && <Text className="hero__note">积分为负（退款扣回），恢复为正数前暂不能使用积分</Text>}
      </View>

      <View className="shortcuts">
        {SHORTCUTS.map((s) => (
          <View key={s.url} className={`shortcut ${s.className}`} onClick={() => void Taro.navigateTo({ url: s.url })}>
            <Text className="shortcut__icon">{s.icon}</Text>
            <Text className="shortcut__text">{s.text}</Text>
          </View>
        ))}
      </View>

      <View className="list points-remind">
        <View className="row points-subscribe" onClick={() => void remind()}>
          <Text className="row__label">订阅积分提醒</Text>
          <Text className="row__value">积分到账、过期前提醒我 ›</Text>
        </View>
      </View>

      <Text className="section-title">积分明细</Text>
      <HistoryList state={history} onMore={() => void pager.current?.loadMore()} />
    </View>
  );
}

function HistoryList({ state, onMore }: { state: PagerState<PointsEntry> | null; onMore: () => void }) {
  if (!state || (!state.loaded && !state.error)) {
    return (
      <View className="list">
        <Text className="list-footer">加载中…</Text>
      </View>
    );
  }
  if (state.loaded && state.items.length === 0 && !state.error) {
    return (
      <View className="list">
        <Text className="empty points-empty">还没有积分记录</Text>
      </View>
    );
  }
  return (
    <>
      <View className="list points-history">
        {state.items.map((entry) => (
          <View key={entry.id} className="entry points-entry">
            <View className="entry__main">
              <Text className="entry__note">{entry.note || '积分变动'}</Text>
              <Text className="entry__time">{formatDateTime(entry.at)}</Text>
            </View>
            <Text className={`entry__amount${entry.amount > 0 ? ' entry__amount--plus' : ''}`}>
              {signedPoints(entry.amount)}
            </Text>
          </View>
        ))}
      </View>
      <PagerFooter state={state} onMore={onMore} prefix="points" />
    </>
  );
}
