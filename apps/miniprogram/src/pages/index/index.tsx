import type { MemberCard } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { MemberCardView } from '../../components/MemberCardView';
import { fetchMyCard } from '../../services';
import './index.css';

type CardState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; member: MemberCard };

export default function HomePage() {
  const [state, setState] = useState<CardState>({ status: 'loading' });
  // Only the latest load may update the page, so a slow earlier answer cannot overwrite a retry's.
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const id = ++latestLoad.current;
    setState({ status: 'loading' });
    try {
      const member = await fetchMyCard();
      if (id === latestLoad.current) setState({ status: 'ready', member });
    } catch (error) {
      const message = error instanceof Error && error.message ? error.message : '加载失败，请稍后重试';
      if (id === latestLoad.current) setState({ status: 'error', message });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <View className="home">
      {state.status === 'loading' && (
        <View className="home-status home-loading">
          <Text>加载中…</Text>
        </View>
      )}
      {state.status === 'error' && (
        <View className="home-status home-error">
          <Text className="home-error__message">{state.message}</Text>
          <Button className="home-retry" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.status === 'ready' && <MemberCardView member={state.member} />}
    </View>
  );
}
