import { formatFen, formatPoints } from '@member-hub/shared';
import { Input, Text, View } from '@tarojs/components';
import { Field } from '../../components/Field';
import { type AmountParse, maxOffsetPoints, offsetFenFor, type PurchaseDraft } from '../../staff/purchase-form';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

/** 积分抵扣 at the till (记录消费 and 储值收款): off, or how many of the member's points, with the most allowed. */
export function OffsetField({
  draft,
  onChange,
  amount,
  memberPoints,
  errors,
}: {
  draft: Pick<PurchaseDraft, 'useOffset' | 'offset'>;
  onChange: (patch: Partial<PurchaseDraft>) => void;
  /** The amount field as read so far: the most points depends on it. */
  amount: AmountParse;
  memberPoints: number;
  errors: readonly string[];
}) {
  const maxPoints = amount.ok ? maxOffsetPoints(amount.fen, memberPoints) : 0;
  return (
    <Field label="积分抵扣" errors={errors}>
      <View className="chips">
        <View
          className={`chip staff-offset-off${draft.useOffset ? '' : ' chip--on'}`}
          onClick={() => onChange({ useOffset: false })}
        >
          不使用
        </View>
        <View
          className={`chip staff-offset-toggle${draft.useOffset ? ' chip--on' : ''}`}
          onClick={() => onChange({ useOffset: true })}
        >
          使用积分抵扣
        </View>
      </View>
      {draft.useOffset && (
        <>
          <Input
            className="field__input staff-offset-input staff-offset-input--spaced"
            type={isWeapp ? 'number' : 'text'}
            value={draft.offset}
            maxlength={9}
            placeholder={amount.ok ? `最多 ${maxPoints} 积分` : '先输入消费金额'}
            onInput={(e) => onChange({ offset: e.detail.value })}
          />
          <Text className="field__note staff-offset-hint">
            {amount.ok
              ? `会员有 ${formatPoints(Math.max(0, memberPoints))} 积分，本单最多可抵扣 ${formatPoints(maxPoints)} 积分（抵 ${formatFen(offsetFenFor(maxPoints))}）`
              : `会员有 ${formatPoints(Math.max(0, memberPoints))} 积分，100 积分抵 ¥1，最多抵订单金额的 50%`}
          </Text>
          {amount.ok && maxPoints > 0 && (
            <Text className="link staff-offset-max" onClick={() => onChange({ offset: String(maxPoints) })}>
              使用最多 {formatPoints(maxPoints)} 积分
            </Text>
          )}
        </>
      )}
    </Field>
  );
}
