import { CouponStatusLabels, couponFace } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { couponValidity } from '../../coupons/display';
import { formatDateTime } from '../../loyalty/format';
import { PlatformError } from '../../platform/types';
import { platform, staffSession } from '../../services';
import { type CouponDeskState, createCouponDesk, IDLE_DESK } from '../../staff/coupon-verify';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * 核销券: the customer's coupon, scanned or typed, looked up (whose, what, can this store take it now); a gift
 * coupon is verified here with 确认核销, a money coupon is for 记录消费. `initialCode` (scanned in the member box)
 * is looked up at once.
 */
export function VerifyCouponPanel({ initialCode, onClose }: { initialCode: string; onClose: () => void }) {
  const [typed, setTyped] = useState(initialCode);
  const [desk, setDesk] = useState<CouponDeskState>(IDLE_DESK);
  // Created once: the verification key of the coupon on screen lives in it.
  const [counter] = useState(() =>
    createCouponDesk({ lookup: staffSession.lookupCoupon, verify: staffSession.verifyCoupon, onChange: setDesk }),
  );
  const [first] = useState(initialCode);
  const { busy, view, verdict, verified, error } = desk;

  // A coupon scanned in the member box arrives here with its code: look it up once.
  useEffect(() => {
    if (first) void counter.lookup(first);
  }, [counter, first]);

  async function scan() {
    try {
      const text = await platform.scanCode();
      setTyped(text);
      await counter.lookup(text);
    } catch (failure) {
      if (failure instanceof PlatformError && failure.code === 'CANCELLED') return;
      counter.report(failure);
    }
  }

  function next() {
    setTyped('');
    counter.reset();
  }

  const face = view
    ? couponFace({
        effect: view.coupon.effect,
        conditions: view.coupon.conditions,
        validity: couponValidity(view.coupon),
      })
    : null;

  return (
    <View className="panel verify-coupon">
      <Text className="panel__title">核销券</Text>
      {isWeapp && (
        <Button className="btn btn--gold verify-coupon-scan" disabled={busy || undefined} onClick={() => void scan()}>
          扫描券码
        </Button>
      )}
      <Text className="panel__text">
        {isWeapp ? '或输入优惠券下方的 12 位券码' : '网页版无法调用摄像头，请输入优惠券下方的 12 位券码'}
      </Text>
      <Input
        className="field__input coupon-code-input verify-coupon-input"
        type="text"
        value={typed}
        maxlength={40}
        placeholder="输入 12 位券码"
        onInput={(e) => setTyped(e.detail.value)}
        onConfirm={() => void counter.lookup(typed)}
      />
      <Button
        className="btn btn--primary btn--spaced coupon-lookup-submit"
        loading={busy && !view}
        disabled={busy || undefined}
        onClick={() => void counter.lookup(typed)}
      >
        查询
      </Button>

      {error && <View className="notice notice--error verify-coupon-error">{error}</View>}

      {view && face && verdict && (
        <View className="verify-coupon-view">
          <View className="staff-member__row">
            <Text className="staff-member__label">会员号</Text>
            <Text className="staff-member__value verify-member-no">{view.member.memberNo}</Text>
          </View>
          {view.member.nickname && (
            <View className="staff-member__row">
              <Text className="staff-member__label">昵称</Text>
              <Text className="staff-member__value verify-member-name">{view.member.nickname}</Text>
            </View>
          )}
          <View className="staff-member__row">
            <Text className="staff-member__label">优惠券</Text>
            <Text className="staff-member__value verify-coupon-title">{view.coupon.title}</Text>
          </View>
          <View className="staff-member__row">
            <Text className="staff-member__label">面额</Text>
            <Text className="staff-member__value verify-coupon-face">
              {face.headline} · {face.condition}
            </Text>
          </View>
          <View className="staff-member__row">
            <Text className="staff-member__label">有效期</Text>
            <Text className="staff-member__value">{face.validity}</Text>
          </View>
          <View className="staff-member__row">
            <Text className="staff-member__label">状态</Text>
            <Text className="staff-member__value coupon-status">{CouponStatusLabels[view.coupon.status]}</Text>
          </View>

          {verified ? (
            <View className="notice notice--ok verify-result">
              <Text className="verify-result__title">核销成功</Text>
              <Text className="verify-result__line">
                {verified.replayed ? '这张券之前已核销过，本次没有重复核销' : `${view.coupon.title} 已核销`}
                {verified.coupon.usedAt ? `（${formatDateTime(verified.coupon.usedAt)}）` : ''}
              </Text>
            </View>
          ) : verdict.canVerify ? (
            <Button
              className="btn btn--gold btn--spaced verify-coupon-confirm"
              loading={busy}
              disabled={busy || undefined}
              onClick={() => void counter.confirm()}
            >
              确认核销
            </Button>
          ) : (
            <View
              className={`notice ${view.problem ? 'notice--error verify-coupon-problem' : 'notice--info verify-coupon-note'}`}
            >
              {verdict.note}
            </View>
          )}
        </View>
      )}

      <View className="verify-coupon__actions">
        {(view || error) && (
          <Button className="btn btn--ghost btn--spaced verify-coupon-next" onClick={next}>
            核销下一张
          </Button>
        )}
        <Button className="btn btn--ghost btn--spaced verify-coupon-close" onClick={onClose}>
          返回识别会员
        </Button>
      </View>
    </View>
  );
}
