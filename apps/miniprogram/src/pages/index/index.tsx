import { type Charge, formatFen } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useLoad } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { isRouteMissing } from '../../api/errors';
import { type CardView, type CodeRefresher, createCodeRefresher } from '../../card/code-refresher';
import { guardMemberCodeScreen } from '../../card/screen-guards';
import { AccountDeleted } from '../../components/AccountDeleted';
import { MemberCardView } from '../../components/MemberCardView';
import { MemberCodeView } from '../../components/MemberCodeView';
import { account, visitShare, wallet } from '../../services';
import { PAY_PAGE, PENDING_CHARGE_POLL_MS } from '../../wallet/charge';
import { createPoller, type Poller } from '../../wallet/poller';
import { WALLET_PAGE } from '../../wallet/top-up';
import './index.css';

export default function HomePage() {
  const [view, setView] = useState<CardView>({ status: 'loading' });
  const [deleted, setDeleted] = useState(false);
  const [pending, setPending] = useState<Charge | null>(null);
  const refresher = useRef<CodeRefresher | null>(null);
  const unguard = useRef<() => void>(() => {});
  const pendingPoller = useRef<Poller | null>(null);

  refresher.current ??= createCodeRefresher({ load: account.card, onChange: setView });
  // Staff who scanned this code may ask for a stored-value payment: show it here at once. A server without the
  // wallet answers ROUTE_NOT_FOUND, which ends the asking; other failures just keep the last answer.
  pendingPoller.current ??= createPoller<Charge | null>({
    load: wallet.pendingCharge,
    settled: () => false,
    intervalMs: PENDING_CHARGE_POLL_MS,
    fatal: isRouteMissing,
    onChange(state) {
      if (state.status === 'waiting' && state.error === null) setPending(state.value);
      if (state.status === 'failed') setPending(null);
    },
  });

  // A tab page stays mounted: start on every show (the code may have expired, or phone binding changed the
  // member), stop on hide so no timer or request runs in the background.
  function show() {
    unguard.current();
    unguard.current = () => {};
    if (deletedFlag.get()) {
      setDeleted(true);
      refresher.current?.stop();
      pendingPoller.current?.stop();
      return;
    }
    setDeleted(false);
    refresher.current?.start();
    pendingPoller.current?.start();
    unguard.current = guardMemberCodeScreen();
  }

  // Opened from a friend's share (`?share=<id>`): tell the server once, after login; the sharer gets the points.
  useLoad((params: Record<string, string | undefined>) => {
    if (params.share && !deletedFlag.get()) void visitShare(params.share);
  });

  useDidShow(show);
  useDidHide(() => {
    refresher.current?.stop();
    pendingPoller.current?.stop();
    unguard.current();
    unguard.current = () => {};
  });
  useEffect(
    () => () => {
      refresher.current?.stop();
      pendingPoller.current?.stop();
      unguard.current();
    },
    [],
  );

  if (deleted) {
    return (
      <View className="home">
        <AccountDeleted onRejoin={show} />
      </View>
    );
  }

  return (
    <View className="home">
      {view.status === 'loading' && (
        <View className="home-status home-loading">
          <Text>加载中…</Text>
        </View>
      )}
      {view.status === 'error' && (
        <View className="home-status home-error">
          <Text className="home-error__message">{view.message}</Text>
          <Button className="home-retry" onClick={() => refresher.current?.start()}>
            重试
          </Button>
        </View>
      )}
      {view.status === 'ready' && (
        <>
          {pending && (
            <View
              className="pending-banner home-pending-charge"
              onClick={() => void Taro.navigateTo({ url: PAY_PAGE })}
            >
              <Text className="pending-banner__text">
                {pending.storeName}发起了一笔 {formatFen(pending.amountFen)} 的付款，点此确认
              </Text>
              <Text className="pending-banner__arrow">›</Text>
            </View>
          )}
          <MemberCardView
            member={view.card}
            onTierTap={() => void Taro.navigateTo({ url: '/pages/tier/index' })}
            onBalanceTap={() => void Taro.navigateTo({ url: WALLET_PAGE })}
          />
          <MemberCodeView
            code={view.card.code}
            secondsLeft={view.secondsLeft}
            refreshing={view.refreshing}
            expired={view.expired}
            refreshError={view.refreshError}
            onRefresh={() => refresher.current?.refresh()}
          />
        </>
      )}
    </View>
  );
}
