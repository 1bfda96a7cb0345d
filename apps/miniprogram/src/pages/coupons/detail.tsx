import { type Coupon, CouponSourceLabels, expiryHint, formatFen } from '@member-hub/shared';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useMemo, useRef, useState } from 'react';
import { svgDataUri } from '../../code/base64';
import { spacedDigits } from '../../code/digits';
import { qrSvg } from '../../code/svg';
import { type PageLoad, PageLoadStatus } from '../../components/PageLoad';
import { couponsNotBuilt } from '../../coupons/coupons';
import { COUPONS_PAGE, couponCard, couponTerms } from '../../coupons/display';
import { formatDate, formatDateTime } from '../../loyalty/format';
import { coupons, errorMessage } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import '../../components/coupon.css';

const COMING_SOON = {
  className: 'coupons-coming-soon',
  title: '优惠券即将上线',
  text: '优惠券功能正在准备中，敬请期待',
};

/** One coupon: the QR staff scan and the 12 digits they can type (read out 4-4-4), then its terms. */
export default function CouponDetailPage() {
  const [state, setState] = useState<PageLoad<Coupon>>({ status: 'loading' });
  const id = useRef<string | null>(null);
  const latest = useRef(0);

  async function load() {
    if (!id.current) {
      setState({ status: 'error', message: '没有找到这张优惠券' });
      return;
    }
    const mine = ++latest.current;
    try {
      const coupon = await coupons.coupon(id.current);
      if (mine === latest.current) setState({ status: 'ready', data: coupon });
    } catch (error) {
      if (mine !== latest.current) return;
      setState(
        couponsNotBuilt(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  useLoad((params: Record<string, string | undefined>) => {
    id.current = params.id ? decodeURIComponent(params.id) : null;
    void load();
  });

  if (state.status !== 'ready') {
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;
  }
  return <CouponView coupon={state.data} />;
}

function CouponView({ coupon }: { coupon: Coupon }) {
  const qr = useMemo(() => svgDataUri(qrSvg(coupon.qrPayload)), [coupon.qrPayload]);
  const card = couponCard(coupon, Date.now());
  const usable = coupon.status === 'available';
  const expiry = usable ? expiryHint(coupon.validUntil, Date.now()) : null;
  return (
    <View className="page coupon-detail">
      <View
        className={`coupon-ticket coupon-detail-ticket${usable || coupon.status === 'held' ? '' : ' coupon-ticket--off'}`}
      >
        <View className="coupon-ticket__face">
          <Text className="coupon-ticket__headline">{card.face.headline}</Text>
          <Text className="coupon-ticket__condition">{card.face.condition}</Text>
        </View>
        <View className="coupon-ticket__body">
          <Text className="coupon-ticket__title coupon-detail-title">{coupon.title}</Text>
          <Text className="coupon-ticket__validity">{card.face.validity}</Text>
          {coupon.description ? <Text className="coupon-ticket__validity">{coupon.description}</Text> : null}
        </View>
      </View>

      <View className="panel coupon-detail__panel">
        <View className={`coupon-detail__codes${usable ? '' : ' coupon-detail__codes--off'}`}>
          <Image className="coupon-qr" src={qr} mode="aspectFit" />
          {!usable && <Text className="coupon-qr__off">{card.status}</Text>}
          <Text className="coupon-code">{spacedDigits(coupon.code)}</Text>
        </View>
        <Text className="coupon-detail__hint">
          {usable ? '到店出示此码，店员扫码或输入券码使用' : (card.held ?? `此券${card.status}`)}
        </Text>
        <View className="coupon-detail__status">
          <Text className="coupon-status">{card.status}</Text>
          {expiry && <Text className="coupon-expiry">{expiry}</Text>}
        </View>
      </View>

      <View className="panel coupon-terms">
        <Text className="panel__title">使用说明</Text>
        {couponTerms(coupon).map((line) => (
          <Text key={line} className="coupon-term">
            {line}
          </Text>
        ))}
        <Text className="coupon-term">
          来源：{CouponSourceLabels[coupon.source]} · {formatDate(coupon.receivedAt)} 获得
        </Text>
        {coupon.usedAt && (
          <Text className="coupon-term coupon-used">
            {formatDateTime(coupon.usedAt)} 已使用
            {coupon.discountFen ? `，优惠 ${formatFen(coupon.discountFen)}` : ''}
          </Text>
        )}
      </View>

      <Text className="link coupon-back" onClick={() => void Taro.switchTab({ url: COUPONS_PAGE })}>
        查看我的全部优惠券
      </Text>
    </View>
  );
}
