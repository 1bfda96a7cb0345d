import { type ClaimableCoupon, type Coupon, couponFace } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { ApiError } from '../../api/errors';
import { type PageLoad, PageLoadStatus } from '../../components/PageLoad';
import { couponsNotBuilt, createClaimer } from '../../coupons/coupons';
import { afterClaim, COUPONS_PAGE, claimButton, claimStockText, couponDetailPath } from '../../coupons/display';
import { consent, coupons, errorMessage } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import '../../components/coupon.css';

const COMING_SOON = {
  className: 'claim-coming-soon',
  title: '领券中心即将上线',
  text: '优惠券正在准备中，敬请期待',
};

/**
 * 立即领取 on one template: a tap repeated after a lost answer (even after leaving the page) resends the first
 * tap's key and gets the same coupon back, never a second one.
 */
const claim = createClaimer((templateId, idempotencyKey) => coupons.claim(templateId, idempotencyKey));

type ClaimResult = { kind: 'ok'; coupon: Coupon; replayed: boolean } | { kind: 'error'; message: string };

/** 领券中心: the templates members may take, each with 立即领取 / 已领完 / 已领取. */
export default function ClaimPage() {
  const [state, setState] = useState<PageLoad<ClaimableCoupon[]>>({ status: 'loading' });
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<ClaimResult | null>(null);
  const latest = useRef(0);

  async function load() {
    const id = ++latest.current;
    try {
      const { coupons: list } = await coupons.claimable();
      if (id === latest.current) setState({ status: 'ready', data: list });
    } catch (error) {
      if (id !== latest.current) return;
      setState(
        couponsNotBuilt(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  useDidShow(() => {
    consent.prefetch();
    void load();
  });

  /** Shows the tap's effect at once (a reload overtaken by it is dropped), then reads the list again. */
  function patch(templateId: string, outcome: Parameters<typeof afterClaim>[2]) {
    latest.current += 1;
    setState((current) =>
      current.status === 'ready' ? { status: 'ready', data: afterClaim(current.data, templateId, outcome) } : current,
    );
    void load();
  }

  async function take(template: ClaimableCoupon) {
    if (busy) return;
    // Offer coupon reminders (expiry, new coupons) while the claim goes through; once a day, never in its way.
    void consent.ask('coupons');
    setBusy(template.templateId);
    setResult(null);
    try {
      const claimed = await claim(template.templateId);
      setResult({ kind: 'ok', coupon: claimed.coupon, replayed: claimed.replayed });
      patch(template.templateId, claimed.replayed ? 'replayed' : 'claimed');
      void Taro.showToast({ title: '领取成功', icon: 'success' });
    } catch (error) {
      const message = errorMessage(error, '领取失败，请稍后重试');
      setResult({ kind: 'error', message });
      if (error instanceof ApiError && (error.code === 'COUPON_SOLD_OUT' || error.code === 'COUPON_LIMIT_REACHED')) {
        patch(template.templateId, error.code);
      } else if (error instanceof ApiError && error.code === 'COUPON_NOT_CLAIMABLE') {
        void load();
      }
      void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
    } finally {
      setBusy(null);
    }
  }

  if (state.status !== 'ready') {
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;
  }

  return (
    <View className="page claim">
      {result?.kind === 'ok' && (
        <View className="notice notice--ok claim-result">
          <Text className="claim-result__title">
            {result.replayed ? '已领取过这张券：' : '领取成功：'}
            {result.coupon.title}
          </Text>
          <Text
            className="link claim-result__use"
            onClick={() => void Taro.navigateTo({ url: couponDetailPath(result.coupon.id) })}
          >
            去使用 ›
          </Text>
        </View>
      )}
      {result?.kind === 'error' && <View className="notice notice--error claim-error">{result.message}</View>}

      {state.data.length === 0 ? (
        <Text className="empty claim-empty">暂时没有可领取的优惠券，过几天再来看看吧</Text>
      ) : (
        <View className="coupon-list">
          {state.data.map((c) => {
            const face = couponFace(c);
            const button = claimButton(c);
            const stock = claimStockText(c.stockLeft);
            return (
              <View
                key={c.templateId}
                className={`coupon-ticket claimable-coupon${button.disabled ? ' coupon-ticket--off' : ''}`}
                data-template-id={c.templateId}
              >
                <View className="coupon-ticket__face">
                  <Text className="coupon-ticket__headline">{face.headline}</Text>
                  <Text className="coupon-ticket__condition">{face.condition}</Text>
                </View>
                <View className="coupon-ticket__body">
                  <Text className="coupon-ticket__title">{c.title}</Text>
                  {c.description ? <Text className="coupon-ticket__validity">{c.description}</Text> : null}
                  <Text className="coupon-ticket__validity">{face.validity}</Text>
                  {stock && <Text className="coupon-expiry claim-stock">{stock}</Text>}
                  <Button
                    className="btn btn--gold claim-button"
                    size="mini"
                    loading={busy === c.templateId}
                    disabled={button.disabled || busy !== null || undefined}
                    onClick={() => void take(c)}
                  >
                    {button.label}
                  </Button>
                </View>
              </View>
            );
          })}
        </View>
      )}

      <Text className="link claim-mine" onClick={() => void Taro.switchTab({ url: COUPONS_PAGE })}>
        查看我的优惠券
      </Text>
    </View>
  );
}
