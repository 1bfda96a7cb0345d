import { formatFen, formatPoints, type MemberSummary, type PurchaseResult } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { readCouponCode } from '../../coupons/code';
import { PlatformError } from '../../platform/types';
import { platform, staffSession } from '../../services';
import { describeCouponError } from '../../staff/coupon-verify';
import {
  checkTillPurchase,
  createPurchaseSubmitter,
  describePurchaseError,
  type PurchaseDraft,
  parseAmount,
  purchaseCouponLine,
  purchaseHeadline,
  purchasePaidLine,
} from '../../staff/purchase-form';
import {
  addLookedUpCoupon,
  createQuoteTracker,
  listedCoupon,
  type QuoteState,
  tillCouponFen,
  tillCoupons,
  toggleTillCoupon,
} from '../../staff/till-coupons';
import { OffsetField } from './OffsetField';
import { type TillCouponList, TillCouponsField } from './TillCouponsField';
import { AmountField, TillFormFooter, useTillForm } from './TillForm';
import '../../components/ui.css';
import './staff.css';

const EMPTY: PurchaseDraft = { amount: '', useOffset: false, offset: '' };

/**
 * 记录消费 for the member just scanned. The panel is keyed by the scan, so each scan starts a new form with its own
 * idempotency key; retries of one submit reuse it. The member's coupons are listed to tick (or added by code); the
 * server quotes what they take off, and the points offset is capped on what is left after them.
 */
export function PurchasePanel({
  member,
  onRecorded,
  onRescan,
}: {
  member: MemberSummary;
  /** The member's balance after the purchase, for the summary above. */
  onRecorded: (result: PurchaseResult) => void;
  /** The server no longer counts the scan: go back to scanning. */
  onRescan: () => void;
}) {
  const till = useTillForm(EMPTY, describePurchaseError);
  const { draft, set, fieldErrors } = till;
  const [result, setResult] = useState<PurchaseResult | null>(null);
  // Created once: the panel's idempotency key lives in it.
  const [submitter] = useState(() => createPurchaseSubmitter(staffSession.recordPurchase));
  const [list, setList] = useState<TillCouponList>({ status: 'loading' });
  const [listReads, setListReads] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [couponNotice, setCouponNotice] = useState<string | null>(null);
  const [couponCode, setCouponCode] = useState('');
  const [adding, setAdding] = useState(false);
  const [quote, setQuote] = useState<QuoteState>({ status: 'none' });
  const [tracker] = useState(() => createQuoteTracker({ quote: staffSession.quoteCoupons, onChange: setQuote }));
  const amount = parseAmount(draft.amount);
  const amountFen = amount.ok ? amount.fen : null;
  const memberId = member.memberId;

  // The member's coupons, on the scan and again after a purchase or a refused coupon (used ones drop out). A
  // failed re-read keeps the list shown and says so; a failed first read offers 重新读取.
  useEffect(() => {
    let current = true;
    const reread = listReads > 0;
    staffSession.memberCoupons(memberId).then(
      ({ coupons }) => {
        if (!current) return;
        const offered = tillCoupons(coupons);
        setList({ status: 'ready', coupons: offered });
        setSelected((ticked) => ticked.filter((code) => offered.some((c) => c.code === code)));
      },
      (error: unknown) => {
        if (!current) return;
        const message = describeCouponError(error);
        if (reread) setCouponNotice(`优惠券列表刷新失败：${message}`);
        else setList({ status: 'error', message });
      },
    );
    return () => {
      current = false;
    };
  }, [memberId, listReads]);

  useEffect(() => {
    tracker.update({ memberId, amountFen, couponCodes: selected });
  }, [tracker, memberId, amountFen, selected]);
  useEffect(() => () => tracker.stop(), [tracker]);

  const coupons = list.status === 'ready' ? list.coupons : [];
  const couponFen = tillCouponFen(selected, quote);
  // The offset is capped on what is left after the coupons.
  const offsetBase = amount.ok && couponFen.ok ? { ok: true as const, fen: amount.fen - couponFen.couponFen } : amount;

  function toggle(code: string, known = coupons) {
    const pick = toggleTillCoupon(selected, code, known);
    setSelected(pick.selected);
    setCouponNotice(pick.notice);
    till.setErrors([]);
  }

  async function addCode(text: string) {
    if (adding) return;
    const read = readCouponCode(text);
    if (!read.ok) {
      setCouponNotice(read.message);
      return;
    }
    const listed = listedCoupon(coupons, read.code);
    if (listed) {
      if (!selected.includes(listed.code)) toggle(listed.code);
      setCouponCode('');
      return;
    }
    setAdding(true);
    setCouponNotice(null);
    try {
      const view = await staffSession.lookupCoupon(read.code);
      const added = addLookedUpCoupon(coupons, view, memberId);
      if (!added.ok) {
        setCouponNotice(added.message);
        return;
      }
      setList({ status: 'ready', coupons: added.coupons });
      if (!selected.includes(added.code)) toggle(added.code, added.coupons);
      setCouponCode('');
    } catch (error) {
      setCouponNotice(describeCouponError(error));
    } finally {
      setAdding(false);
    }
  }

  async function scanCoupon() {
    try {
      await addCode(await platform.scanCode());
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'CANCELLED') return;
      setCouponNotice(describeCouponError(error));
    }
  }

  function submit() {
    const checked = checkTillPurchase(draft, member.points, selected, couponFen);
    return till.submit(
      checked,
      async (ok) => {
        const recorded = await submitter.submit({
          memberId,
          amountFen: ok.amountFen,
          offsetPoints: ok.offsetPoints,
          couponCodes: ok.couponCodes,
        });
        setResult(recorded);
        onRecorded(recorded);
      },
      (problem) => {
        // A coupon was refused (used meanwhile, not for this order): read the list again.
        if (problem.errors.some((e) => e.field === 'coupons')) setListReads((n) => n + 1);
      },
    );
  }

  function another() {
    setResult(null);
    till.reset(EMPTY);
    setSelected([]);
    setCouponNotice(null);
    setCouponCode('');
    setListReads((n) => n + 1);
  }

  if (result) {
    const couponLine = purchaseCouponLine(result);
    return (
      <View className="panel staff-purchase-result">
        <Text className="staff-result__headline">{purchaseHeadline(result)}</Text>
        {result.replayed && <Text className="staff-result__line">这笔消费之前已记录过，本次没有重复记录</Text>}
        <Text className="staff-result__line staff-result__explanation">{result.explanation}</Text>
        {couponLine && <Text className="staff-result__line staff-result__coupon">{couponLine}</Text>}
        {result.offsetPoints > 0 && (
          <Text className="staff-result__line staff-result__offset">
            积分抵扣 {formatPoints(result.offsetPoints)} 积分（-{formatFen(result.offsetFen)}）
          </Text>
        )}
        {(couponLine || result.offsetPoints > 0) && (
          <Text className="staff-result__line staff-result__paid">{purchasePaidLine(result)}</Text>
        )}
        <Text className="staff-result__line staff-result__balance">
          会员当前积分 {formatPoints(result.balance.points)} · {result.balance.tier}
        </Text>
        <Button className="btn btn--ghost btn--spaced staff-purchase-another" onClick={another}>
          再记一笔
        </Button>
      </View>
    );
  }

  return (
    <View className="panel staff-purchase">
      <Text className="panel__title">记录消费</Text>
      <AmountField
        label="消费金额（元）"
        className="staff-amount-input"
        placeholder="例如 128.00"
        value={draft.amount}
        errors={fieldErrors('amount')}
        onInput={(value) => set({ amount: value })}
      />

      <TillCouponsField
        list={list}
        selected={selected}
        quote={quote}
        notice={couponNotice}
        errors={fieldErrors('coupons')}
        code={couponCode}
        adding={adding}
        onToggle={(code) => toggle(code)}
        onCode={setCouponCode}
        onAdd={() => void addCode(couponCode)}
        onScan={() => void scanCoupon()}
        onReload={() => setListReads((n) => n + 1)}
      />

      <OffsetField
        draft={draft}
        onChange={set}
        amount={offsetBase}
        memberPoints={member.points}
        errors={fieldErrors('offset')}
      />

      <TillFormFooter
        till={till}
        prefix="staff-purchase"
        label="确认记录"
        onRescan={onRescan}
        onSubmit={() => void submit()}
      />
    </View>
  );
}
