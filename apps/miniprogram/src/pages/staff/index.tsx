import { formatFen, formatPoints, type MemberSummary } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { isCouponCode } from '../../coupons/code';
import { PlatformError } from '../../platform/types';
import { platform, STAFF_LOGIN_PAGE, staffSession } from '../../services';
import { isPayCode, normalizePayCode } from '../../staff/charge-form';
import { describeScanError, type ScanProblem } from '../../staff/staff-session';
import { ChargePanel } from './ChargePanel';
import { PurchasePanel } from './PurchasePanel';
import { VerifyCouponPanel } from './VerifyCouponPanel';
import '../../components/ui.css';
import './staff.css';

const ROLE_LABELS = { staff: '店员', manager: '店长' } as const;
const canScan = process.env.TARO_ENV === 'weapp';

type Result =
  | { kind: 'none' }
  /** `scan` numbers the scans: each one starts a fresh purchase or charge form (and idempotency key). */
  | { kind: 'member'; member: MemberSummary; scan: number; mode: 'purchase' | 'charge' }
  /** The customer shows a payment code instead of the member code (typed, scanned, or still to be entered). */
  | { kind: 'payCode'; code: string; scan: number }
  /** 核销券: a coupon code typed or scanned there, or scanned in the member box (`code`). */
  | { kind: 'verify'; code: string; scan: number }
  | { kind: 'problem'; problem: ScanProblem };

export default function StaffHomePage() {
  const [staff, setStaff] = useState(() => staffSession.current()?.staff ?? null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>({ kind: 'none' });
  const scans = useRef(0);

  useDidShow(() => {
    if (!staffSession.current()) {
      void Taro.redirectTo({ url: STAFF_LOGIN_PAGE });
      return;
    }
    // Role or store may have changed since login; a revoked login ends here (the session sends staff to login).
    staffSession
      .refreshProfile()
      .then(setStaff)
      .catch(() => {});
  });

  function payByCode(code: string) {
    scans.current += 1;
    setResult({ kind: 'payCode', code: normalizePayCode(code.trim()), scan: scans.current });
    setTyped('');
  }

  function verifyCoupon(code: string) {
    scans.current += 1;
    setResult({ kind: 'verify', code: code.trim(), scan: scans.current });
    setTyped('');
  }

  async function identify(code: string) {
    // 18 digits are a payment code (stored value taken at once), not a member code.
    if (isPayCode(code)) {
      payByCode(code);
      return;
    }
    // A coupon's QR or its 12 digits: 核销券.
    if (isCouponCode(code)) {
      verifyCoupon(code);
      return;
    }
    setBusy(true);
    setResult({ kind: 'none' });
    try {
      const member = await staffSession.scan(code);
      scans.current += 1;
      setResult({ kind: 'member', member, scan: scans.current, mode: 'purchase' });
      setTyped('');
    } catch (error) {
      setResult({ kind: 'problem', problem: describeScanError(error) });
    } finally {
      setBusy(false);
    }
  }

  async function scan() {
    try {
      const text = await platform.scanCode();
      await identify(text);
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'CANCELLED') return;
      setResult({ kind: 'problem', problem: describeScanError(error) });
    }
  }

  function submitTyped() {
    if (!typed.trim()) {
      setResult({
        kind: 'problem',
        problem: { message: '请输入顾客会员卡上的 8 位数字会员码，或 18 位付款码', rescan: true },
      });
      return;
    }
    void identify(typed);
  }

  function logout() {
    staffSession.logout();
    void Taro.showToast({ title: '已退出店员模式', icon: 'none' });
    void Taro.switchTab({ url: '/pages/mine/index' });
  }

  if (!staff) return <View className="page" />;

  return (
    <View className="page staff-home">
      <View className="staff-header">
        <Text className="staff-store-name">{staff.store.name}</Text>
        <View className="staff-header__who">
          <Text className="staff-name">{staff.name}</Text>
          <Text className="staff-role">{ROLE_LABELS[staff.role]}</Text>
        </View>
      </View>

      <View className="panel staff-scan">
        {canScan ? (
          <Button
            className="btn btn--gold staff-scan-button"
            loading={busy}
            disabled={busy || undefined}
            onClick={() => void scan()}
          >
            扫码识别会员
          </Button>
        ) : (
          <>
            <Text className="panel__title">识别会员</Text>
            <Text className="panel__text">
              网页版无法调用摄像头，请输入顾客会员卡上的 8 位数字会员码，或「付款码」下的 18 位数字。
            </Text>
            <Input
              className="field__input staff-code-input"
              type="text"
              value={typed}
              maxlength={24}
              placeholder="输入会员码或付款码"
              onInput={(e) => setTyped(e.detail.value)}
              onConfirm={submitTyped}
            />
            <Button
              className="btn btn--gold staff-code-submit staff-submit"
              loading={busy}
              disabled={busy || undefined}
              onClick={submitTyped}
            >
              确认
            </Button>
          </>
        )}
        {result.kind !== 'verify' && (
          <Button className="btn btn--ghost btn--spaced verify-coupon-entry" onClick={() => verifyCoupon('')}>
            核销券
          </Button>
        )}
        {result.kind !== 'payCode' && (
          <Text className="link staff-paycode-link" onClick={() => payByCode('')}>
            顾客出示付款码？用付款码收款
          </Text>
        )}
      </View>

      {result.kind === 'verify' && (
        <VerifyCouponPanel key={result.scan} initialCode={result.code} onClose={() => setResult({ kind: 'none' })} />
      )}

      {result.kind === 'problem' && (
        <View className="notice notice--error staff-scan-error">
          <Text className="staff-scan-error__message">{result.problem.message}</Text>
          {result.problem.rescan && (
            <Text className="staff-scan-error__hint">
              {canScan ? '请让顾客刷新会员码后重新扫码' : '请让顾客刷新会员码后重新输入'}
            </Text>
          )}
        </View>
      )}

      {result.kind === 'member' && (
        <>
          <MemberPanel member={result.member} />
          <View className="chips staff-modes">
            <View
              className={`chip staff-mode-purchase${result.mode === 'purchase' ? ' chip--on' : ''}`}
              onClick={() => setResult({ ...result, mode: 'purchase' })}
            >
              记录消费
            </View>
            <View
              className={`chip staff-mode-charge${result.mode === 'charge' ? ' chip--on' : ''}`}
              onClick={() => setResult({ ...result, mode: 'charge' })}
            >
              储值收款
            </View>
          </View>
          {result.mode === 'purchase' ? (
            <PurchasePanel
              key={result.scan}
              member={result.member}
              onRecorded={(recorded) =>
                setResult({
                  ...result,
                  member: { ...result.member, points: recorded.balance.points, tier: recorded.balance.tier },
                })
              }
              onRescan={() => setResult({ kind: 'none' })}
            />
          ) : (
            <ChargePanel
              key={result.scan}
              subject={{ kind: 'member', member: result.member }}
              onCharged={(charge) =>
                // What the payment moved, exactly: stored value taken, points spent on the offset and earned.
                setResult((current) =>
                  current.kind !== 'member'
                    ? current
                    : {
                        ...current,
                        member: {
                          ...current.member,
                          storedValueFen: current.member.storedValueFen - charge.walletFen,
                          points: current.member.points - charge.offsetPoints + charge.pointsEarned,
                        },
                      },
                )
              }
              onRescan={() => setResult({ kind: 'none' })}
            />
          )}
        </>
      )}

      {result.kind === 'payCode' && (
        <>
          <ChargePanel
            key={result.scan}
            subject={{ kind: 'payCode', code: result.code }}
            onCharged={() => {}}
            onRescan={() => setResult({ kind: 'none' })}
          />
          <View className="actions">
            <Button className="btn btn--ghost staff-paycode-cancel" onClick={() => setResult({ kind: 'none' })}>
              改为扫描会员码
            </Button>
          </View>
        </>
      )}

      <View className="actions">
        <Button className="btn btn--ghost staff-logout" onClick={logout}>
          退出店员模式
        </Button>
      </View>
    </View>
  );
}

function MemberPanel({ member }: { member: MemberSummary }) {
  return (
    <View className="panel staff-member-summary">
      <View className="staff-member__head">
        <Text className="staff-member__name">{member.nickname ?? '未设置昵称'}</Text>
        <Text className="staff-member__tier">{member.tier}</Text>
      </View>
      <View className="staff-member__rows">
        <Row label="会员号" value={member.memberNo} className="staff-member-no" />
        <Row label="手机" value={member.maskedPhone ?? '未绑定'} className="staff-member-phone" />
        <Row label="积分" value={formatPoints(member.points)} className="staff-member-points" />
        <Row label="储值余额" value={formatFen(member.storedValueFen)} className="staff-member-balance" />
      </View>
      <Text className="field__label staff-member__coupons-title">可用优惠券</Text>
      {member.coupons.length === 0 ? (
        <Text className="staff-member__empty">暂无可用优惠券</Text>
      ) : (
        member.coupons.map((c) => (
          <Text key={c.id} className="staff-member__coupon">
            {c.title}
          </Text>
        ))
      )}
    </View>
  );
}

function Row({ label, value, className }: { label: string; value: string; className: string }) {
  return (
    <View className="staff-member__row">
      <Text className="staff-member__label">{label}</Text>
      <Text className={`staff-member__value ${className}`}>{value}</Text>
    </View>
  );
}
