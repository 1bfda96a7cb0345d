import { type Coupon, type CouponQuote, couponFace, formatFen } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { Field } from '../../components/Field';
import { couponValidity } from '../../coupons/display';
import type { QuoteState } from '../../staff/till-coupons';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

export type TillCouponList =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; coupons: Coupon[] };

/**
 * 优惠券 in 记录消费: the scanned member's coupons to tick (`.till-coupon`, `--on` when ticked), a code to add by
 * scanning or typing, and what the ticked ones take off (`.till-coupon-fen`) and leave to pay (`.till-payable`).
 */
export function TillCouponsField({
  list,
  selected,
  quote,
  notice,
  errors,
  code,
  adding,
  onToggle,
  onCode,
  onAdd,
  onScan,
  onReload,
}: {
  list: TillCouponList;
  selected: readonly string[];
  quote: QuoteState;
  notice: string | null;
  errors: readonly string[];
  code: string;
  adding: boolean;
  onToggle: (code: string) => void;
  onCode: (text: string) => void;
  onAdd: () => void;
  onScan: () => void;
  onReload: () => void;
}) {
  const lines = quote.status === 'ready' ? quoteLines(quote.quote) : new Map<string, number>();
  return (
    <Field label="优惠券" errors={errors}>
      {list.status === 'loading' && <Text className="till-coupons__empty">正在读取会员的优惠券…</Text>}
      {list.status === 'error' && (
        <View className="till-coupons__problem">
          <Text className="till-coupons__empty">{list.message}</Text>
          <Text className="link till-coupons-reload" onClick={onReload}>
            重新读取
          </Text>
        </View>
      )}
      {list.status === 'ready' &&
        (list.coupons.length === 0 ? (
          <Text className="till-coupons__empty till-coupons-empty">会员暂无可用于消费的优惠券</Text>
        ) : (
          <View className="till-coupons">
            {list.coupons.map((coupon) => {
              const on = selected.includes(coupon.code);
              const face = couponFace({
                effect: coupon.effect,
                conditions: coupon.conditions,
                validity: couponValidity(coupon),
              });
              const off = lines.get(coupon.code);
              return (
                <View
                  key={coupon.id}
                  className={`till-coupon${on ? ' till-coupon--on' : ''}`}
                  data-code={coupon.code}
                  onClick={() => onToggle(coupon.code)}
                >
                  <Text className="till-coupon__check">{on ? '✓' : ''}</Text>
                  <Text className="till-coupon__headline">{face.headline}</Text>
                  <View className="till-coupon__main">
                    <Text className="till-coupon__title">{coupon.title}</Text>
                    <Text className="till-coupon__condition">{face.condition}</Text>
                  </View>
                  {on && off !== undefined && <Text className="till-coupon__off">-{formatFen(off)}</Text>}
                </View>
              );
            })}
          </View>
        ))}

      <View className="till-coupon-add-row">
        <Input
          className="field__input till-coupon-code-input"
          type="text"
          value={code}
          maxlength={40}
          placeholder="输入 12 位券码添加"
          onInput={(e) => onCode(e.detail.value)}
          onConfirm={onAdd}
        />
        <Button
          className="btn btn--ghost till-coupon-add"
          size="mini"
          loading={adding}
          disabled={adding || undefined}
          onClick={onAdd}
        >
          添加
        </Button>
      </View>
      {isWeapp && (
        <Text className="link till-coupon-scan" onClick={onScan}>
          扫描顾客的券码添加
        </Text>
      )}
      {notice && <Text className="field__note till-coupon-notice">{notice}</Text>}

      {quote.status === 'loading' && <Text className="field__note till-coupon-quote">正在计算优惠…</Text>}
      {quote.status === 'error' && <Text className="field__error till-coupon-error">{quote.message}</Text>}
      {quote.status === 'ready' && (
        <View className="till-coupon-quote">
          <Text className="till-coupon-fen">优惠 {formatFen(quote.quote.couponFen)}</Text>
          <Text className="till-payable">应付 {formatFen(quote.quote.payableFen)}</Text>
        </View>
      )}
    </Field>
  );
}

/** What each ticked coupon takes off, by code. */
function quoteLines(quote: CouponQuote): Map<string, number> {
  return new Map(quote.lines.map((line) => [line.code, line.discountFen]));
}
