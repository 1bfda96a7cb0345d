import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { errorMessage } from '../services';
import { LoadStatus } from './LoadStatus';
import './ui.css';

export type PageLoad<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'coming-soon' }
  | { status: 'ready'; data: T };

/**
 * A page whose one load decides whether its feature exists on this server (储值, 积分商城): loaded again each time
 * the page shows, an answer overtaken by a later load dropped, and a failure `notBuilt` recognises read as 即将上线.
 */
export function usePageLoad<T>(fetch: () => Promise<T>, notBuilt: (error: unknown) => boolean) {
  const [state, setState] = useState<PageLoad<T>>({ status: 'loading' });
  const latest = useRef(0);

  async function load() {
    const id = ++latest.current;
    try {
      const data = await fetch();
      if (id === latest.current) setState({ status: 'ready', data });
    } catch (error) {
      if (id !== latest.current) return;
      setState(
        notBuilt(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  useDidShow(() => {
    void load();
  });

  return { state, load };
}

/** Such a page before it is ready: 加载中… or the failure with 重试, or its 即将上线 notice. */
export function PageLoadStatus({
  state,
  onRetry,
  comingSoon,
}: {
  state: Exclude<PageLoad<unknown>, { status: 'ready' }>;
  onRetry: () => void;
  comingSoon: { className: string; title: string; text: string };
}) {
  return (
    <View className="page">
      {state.status === 'coming-soon' ? (
        <View className={`status ${comingSoon.className}`}>
          <Text className="panel__title">{comingSoon.title}</Text>
          <Text className="panel__text">{comingSoon.text}</Text>
        </View>
      ) : (
        <LoadStatus error={state.status === 'error' ? state.message : null} onRetry={onRetry} />
      )}
    </View>
  );
}
