import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useLoad } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { type CardView, type CodeRefresher, createCodeRefresher } from '../../card/code-refresher';
import { guardMemberCodeScreen } from '../../card/screen-guards';
import { AccountDeleted } from '../../components/AccountDeleted';
import { MemberCardView } from '../../components/MemberCardView';
import { MemberCodeView } from '../../components/MemberCodeView';
import { account, visitShare } from '../../services';
import './index.css';

export default function HomePage() {
  const [view, setView] = useState<CardView>({ status: 'loading' });
  const [deleted, setDeleted] = useState(false);
  const refresher = useRef<CodeRefresher | null>(null);
  const unguard = useRef<() => void>(() => {});

  refresher.current ??= createCodeRefresher({ load: account.card, onChange: setView });

  // A tab page stays mounted: start on every show (the code may have expired, or phone binding changed the
  // member), stop on hide so no timer or request runs in the background.
  function show() {
    unguard.current();
    unguard.current = () => {};
    if (deletedFlag.get()) {
      setDeleted(true);
      refresher.current?.stop();
      return;
    }
    setDeleted(false);
    refresher.current?.start();
    unguard.current = guardMemberCodeScreen();
  }

  // Opened from a friend's share (`?share=<id>`): tell the server once, after login; the sharer gets the points.
  useLoad((params: Record<string, string | undefined>) => {
    if (params.share && !deletedFlag.get()) void visitShare(params.share);
  });

  useDidShow(show);
  useDidHide(() => {
    refresher.current?.stop();
    unguard.current();
    unguard.current = () => {};
  });
  useEffect(
    () => () => {
      refresher.current?.stop();
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
          <MemberCardView member={view.card} onTierTap={() => void Taro.navigateTo({ url: '/pages/tier/index' })} />
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
