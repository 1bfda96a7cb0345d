import { formatPoints, type MallItem, type Redemption } from '@member-hub/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import { PageLoadStatus, usePageLoad } from '../../components/PageLoad';
import { COUPONS_PAGE, couponDetailPath } from '../../coupons/display';
import { formatDateTime } from '../../loyalty/format';
import { createRedeemer, mallNotBuilt, REDEMPTION_STATUS, redeemConfirmText, stockText } from '../../loyalty/redeem';
import { errorMessage, loyalty } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './index.css';

/** The list decides whether the mall exists; the balance and my redemptions are extras that may fail alone. */
async function loadMall(): Promise<{ items: MallItem[]; redemptions: Redemption[] | null; points: number | null }> {
  const [items, redemptions, summary] = await Promise.all([
    loyalty.mallItems(),
    loyalty.myRedemptions().catch(() => null),
    loyalty.points().catch(() => null),
  ]);
  return { items, redemptions, points: summary?.points ?? null };
}

const COMING_SOON = {
  className: 'mall-coming-soon',
  title: '积分商城即将上线',
  text: '好礼正在准备中，积分先攒着，敬请期待',
};

export default function MallPage() {
  const { state, load } = usePageLoad(loadMall, mallNotBuilt);
  const [busyItem, setBusyItem] = useState<string | null>(null);
  const [result, setResult] = useState<
    { kind: 'ok'; redemption: Redemption } | { kind: 'error'; message: string } | null
  >(null);
  const redeemer = useRef<ReturnType<typeof createRedeemer> | null>(null);
  redeemer.current ??= createRedeemer(loyalty.redeem);

  async function redeem(item: MallItem) {
    if (busyItem) return;
    const answer = await Taro.showModal({
      title: '确认兑换',
      content: redeemConfirmText(item),
      confirmText: '确定兑换',
      cancelText: '再想想',
    });
    if (!answer.confirm) return;
    setBusyItem(item.id);
    setResult(null);
    try {
      const redemption = await (redeemer.current ?? createRedeemer(loyalty.redeem)).redeem(item.id);
      setResult({ kind: 'ok', redemption });
      void Taro.showToast({ title: '兑换成功', icon: 'success' });
      void load();
    } catch (error) {
      const message = errorMessage(error, '兑换失败，请稍后重试');
      setResult({ kind: 'error', message });
      void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
    } finally {
      setBusyItem(null);
    }
  }

  // The coupon a coupon item issued, or the coupon list when the answer does not name it.
  function openCoupon(couponId: string | null) {
    if (couponId) void Taro.navigateTo({ url: couponDetailPath(couponId) });
    else void Taro.switchTab({ url: COUPONS_PAGE });
  }

  if (state.status !== 'ready')
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;

  const { items, redemptions, points } = state.data;

  return (
    <View className="page mall">
      {points !== null && (
        <View className="mall-balance">
          <Text className="mall-balance__label">我的积分</Text>
          <Text className="mall-balance__value mall-points">{formatPoints(points)}</Text>
        </View>
      )}

      {result?.kind === 'ok' && (
        <View className="notice notice--ok mall-result">
          <Text className="mall-result__title">兑换成功：{result.redemption.title}</Text>
          {result.redemption.status === 'issued' ? (
            <>
              <Text className="mall-coupon-issued">优惠券已放入卡包</Text>
              <Text className="link mall-coupon-link" onClick={() => void Taro.switchTab({ url: COUPONS_PAGE })}>
                查看我的优惠券 ›
              </Text>
            </>
          ) : (
            <Text className="mall-pickup-code">到店出示取货码 {result.redemption.pickupCode}</Text>
          )}
        </View>
      )}
      {result?.kind === 'error' && <View className="notice notice--error mall-error">{result.message}</View>}

      {items.length === 0 ? (
        <Text className="empty mall-empty">暂时没有可兑换的礼品</Text>
      ) : (
        <View className="mall-grid">
          {items.map((item) => {
            const stock = stockText(item.stock);
            const soldOut = item.stock !== null && item.stock <= 0;
            const short = points !== null && points < item.pointsPrice;
            return (
              <View key={item.id} className="mall-item">
                {item.imageUrl ? (
                  <Image className="mall-item__image" src={item.imageUrl} mode="aspectFill" lazyLoad />
                ) : (
                  <View className="mall-item__image mall-item__image--empty">
                    <Text>礼</Text>
                  </View>
                )}
                <View className="mall-item__body">
                  <View className="mall-item__head">
                    {item.kind === 'coupon' && <Text className="tag mall-item__coupon-tag">优惠券</Text>}
                    <Text className="mall-item__title">{item.title}</Text>
                  </View>
                  {item.description ? <Text className="mall-item__desc">{item.description}</Text> : null}
                  <Text className="mall-item__price">{formatPoints(item.pointsPrice)} 积分</Text>
                  <View className="mall-item__meta">
                    {stock && (
                      <Text className={`mall-item__stock${soldOut ? ' mall-item__stock--out' : ''}`}>{stock}</Text>
                    )}
                    {item.perMemberLimit !== null && (
                      <Text className="mall-item__limit">每人限 {item.perMemberLimit} 件</Text>
                    )}
                  </View>
                  <Button
                    className="btn btn--gold mall-redeem"
                    size="mini"
                    loading={busyItem === item.id}
                    disabled={soldOut || busyItem !== null || undefined}
                    onClick={() => void redeem(item)}
                  >
                    {soldOut ? '已兑完' : short ? '积分不足' : '兑换'}
                  </Button>
                </View>
              </View>
            );
          })}
        </View>
      )}

      <Text className="section-title">我的兑换</Text>
      <View className="list mall-redemptions">
        {redemptions === null ? (
          <Text className="empty">兑换记录暂时无法加载</Text>
        ) : redemptions.length === 0 ? (
          <Text className="empty">还没有兑换记录</Text>
        ) : (
          redemptions.map((r) => (
            <View key={r.id} className="entry mall-redemption">
              <View className="entry__main">
                <Text className="entry__note">{r.title}</Text>
                <Text className="entry__time">
                  {formatDateTime(r.at)} · -{formatPoints(r.pointsSpent)} 积分
                </Text>
                {r.status === 'awaiting_pickup' && <Text className="mall-redemption__code">取货码 {r.pickupCode}</Text>}
              </View>
              <Text
                className={`tag${r.status === 'picked_up' ? ' tag--muted' : ''}${r.status === 'issued' ? ' tag--done mall-redemption__coupon' : ''}`}
                onClick={r.status === 'issued' ? () => openCoupon(r.couponId) : undefined}
              >
                {REDEMPTION_STATUS[r.status]}
              </Text>
            </View>
          ))
        )}
      </View>
    </View>
  );
}
