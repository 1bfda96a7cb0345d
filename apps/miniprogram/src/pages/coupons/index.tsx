import type { Coupon, MyCoupons } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { AccountDeleted } from '../../components/AccountDeleted';
import { LoadStatus } from '../../components/LoadStatus';
import { couponsNotBuilt } from '../../coupons/coupons';
import { CLAIM_PAGE, COUPON_TABS, type CouponTab, couponCard, couponDetailPath } from '../../coupons/display';
import { coupons, errorMessage } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import '../../components/coupon.css';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'coming-soon' }
  /** `tab`: the tab these coupons are for (the member may have tapped another since). */
  | { status: 'ready'; tab: CouponTab; data: MyCoupons };

const EMPTY_TEXT: Record<CouponTab, string> = {
  usable: '暂无可用的优惠券，去领券中心看看吧',
  used: '还没有使用过优惠券',
  expired: '没有过期的优惠券',
};

/** 我的优惠券 (a tab): 可使用 / 已使用 / 已过期 with their counts; a card opens the coupon with its code. */
export default function CouponsPage() {
  const [tab, setTab] = useState<CouponTab>('usable');
  const [state, setState] = useState<State>({ status: 'loading' });
  const [deleted, setDeleted] = useState(false);
  const shownTab = useRef<CouponTab>('usable');
  const latest = useRef(0);

  async function load(which: CouponTab) {
    if (deletedFlag.get()) {
      setDeleted(true);
      return;
    }
    setDeleted(false);
    const id = ++latest.current;
    try {
      const data = await coupons.mine(which);
      if (id === latest.current) setState({ status: 'ready', tab: which, data });
    } catch (error) {
      if (id !== latest.current) return;
      setState(
        couponsNotBuilt(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  // A tab stays mounted: every show reads the coupons again (one may just have been used at the till).
  useDidShow(() => {
    void load(shownTab.current);
  });

  function choose(next: CouponTab) {
    if (next === tab && state.status === 'ready' && state.tab === next) return;
    shownTab.current = next;
    setTab(next);
    void load(next);
  }

  if (deleted) {
    return (
      <View className="page">
        <AccountDeleted onRejoin={() => void load(shownTab.current)} />
      </View>
    );
  }
  if (state.status === 'coming-soon') {
    return (
      <View className="page">
        <View className="status coupons-coming-soon">
          <Text className="panel__title">优惠券即将上线</Text>
          <Text className="panel__text">优惠券功能正在准备中，敬请期待</Text>
        </View>
      </View>
    );
  }
  if (state.status !== 'ready') {
    return (
      <View className="page">
        <LoadStatus error={state.status === 'error' ? state.message : null} onRetry={() => void load(tab)} />
      </View>
    );
  }

  const { counts } = state.data;
  const now = Date.now();
  return (
    <View className="page coupons">
      <View className="coupon-tabs">
        {COUPON_TABS.map((t) => (
          <View
            key={t.tab}
            className={`coupon-tab${t.tab === tab ? ' coupon-tab--on' : ''}`}
            data-tab={t.tab}
            onClick={() => choose(t.tab)}
          >
            {t.label}({counts[t.tab]})
          </View>
        ))}
      </View>

      <View className="coupon-claim-link" onClick={() => void Taro.navigateTo({ url: CLAIM_PAGE })}>
        <Text>领券中心 · 更多优惠券免费领</Text>
        <Text className="row__arrow">›</Text>
      </View>

      {state.tab !== tab ? (
        <Text className="loading empty">加载中…</Text>
      ) : state.data.coupons.length === 0 ? (
        <Text className="empty coupon-empty">{EMPTY_TEXT[tab]}</Text>
      ) : (
        <View className="coupon-list">
          {state.data.coupons.map((c) => (
            <CouponCard key={c.id} coupon={c} now={now} />
          ))}
        </View>
      )}
      {tab === 'usable' && <Text className="coupon-hint">到店消费时出示券码，店员扫码或输入券码即可使用</Text>}
    </View>
  );
}

function CouponCard({ coupon, now }: { coupon: Coupon; now: number }) {
  const card = couponCard(coupon, now);
  const off = coupon.status !== 'available' && coupon.status !== 'held';
  return (
    <View
      className={`coupon-ticket coupon-card coupon-card--${coupon.status}${off ? ' coupon-ticket--off' : ''}`}
      data-id={coupon.id}
      onClick={() => void Taro.navigateTo({ url: couponDetailPath(coupon.id) })}
    >
      <View className="coupon-ticket__face">
        <Text className="coupon-ticket__headline">{card.face.headline}</Text>
        <Text className="coupon-ticket__condition">{card.face.condition}</Text>
      </View>
      <View className="coupon-ticket__body">
        <Text className="coupon-ticket__title">{coupon.title}</Text>
        <Text className="coupon-ticket__validity">{card.face.validity}</Text>
        <View className="coupon-ticket__foot">
          <Text className="coupon-status">{card.status}</Text>
          {card.expiry && <Text className="coupon-expiry">{card.expiry}</Text>}
        </View>
        {card.held && <Text className="coupon-held">{card.held}</Text>}
        {card.used && <Text className="coupon-used">{card.used}</Text>}
      </View>
    </View>
  );
}
