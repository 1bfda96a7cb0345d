import { Text, View } from '@tarojs/components';
import { useDidShow, useReachBottom } from '@tarojs/taro';
import { type ReactNode, useRef, useState } from 'react';
import { isRouteMissing } from '../../api/errors';
import { PagerFooter } from '../../components/PagerFooter';
import { createPager, type Page, type Pager, type PagerState } from '../../loyalty/pager';
import { errorMessage } from '../../services';

const MISSING = '储值即将上线';

/**
 * The paging of the member's wallet lists (余额明细, 充值记录): every show starts from the newest page (a top-up or
 * a payment may just have landed), reaching the bottom asks for the next one.
 */
export function useWalletPager<T>(
  load: (after: string | null) => Promise<Page<T>>,
  failed: string,
): { state: PagerState<T> | null; more: () => void } {
  const [state, setState] = useState<PagerState<T> | null>(null);
  const pager = useRef<Pager<T> | null>(null);

  pager.current ??= createPager({
    load,
    onChange: setState,
    describeError: (error) => (isRouteMissing(error) ? MISSING : errorMessage(error, failed)),
  });

  useDidShow(() => {
    void pager.current?.reload();
  });
  useReachBottom(() => {
    void pager.current?.loadMore();
  });

  return { state, more: () => void pager.current?.loadMore() };
}

/** A wallet list as it loads: 加载中…, 储值即将上线 without the routes, its empty line, or the rows and PagerFooter. */
export function WalletPagedList<T extends { id: string }>({
  state,
  onMore,
  className,
  empty,
  emptyClassName,
  prefix,
  row,
}: {
  state: PagerState<T> | null;
  onMore: () => void;
  className: string;
  empty: string;
  emptyClassName: string;
  /** PagerFooter's class prefix. */
  prefix: string;
  row: (item: T) => ReactNode;
}) {
  if (!state || (!state.loaded && !state.error)) {
    return (
      <View className="list">
        <Text className="list-footer">加载中…</Text>
      </View>
    );
  }
  if (!state.loaded && state.error === MISSING) {
    return (
      <View className="status wallet-coming-soon">
        <Text className="panel__title">储值即将上线</Text>
        <Text className="panel__text">充值、储值消费功能正在准备中，敬请期待</Text>
      </View>
    );
  }
  if (state.loaded && state.items.length === 0 && !state.error) {
    return (
      <View className="list">
        <Text className={`empty ${emptyClassName}`}>{empty}</Text>
      </View>
    );
  }
  return (
    <>
      <View className={`list ${className}`}>{state.items.map(row)}</View>
      <PagerFooter state={state} onMore={onMore} prefix={prefix} />
    </>
  );
}
