import { Text } from '@tarojs/components';
import type { PagerState } from '../loyalty/pager';
import './ui.css';
import './loyalty.css';

/**
 * Under an infinite-scroll list: the failed page with a retry, 加载中…, 没有更多了, or 加载更多. `prefix` names the
 * list's own classes (`${prefix}-more`, `${prefix}-more-error`, `${prefix}-history-end`).
 */
export function PagerFooter<T>({
  state,
  onMore,
  prefix,
}: {
  state: PagerState<T>;
  onMore: () => void;
  prefix: string;
}) {
  if (state.error) {
    return (
      <Text className={`list-footer list-footer--action ${prefix}-more-error`} onClick={onMore}>
        {state.error}，点此重试
      </Text>
    );
  }
  if (state.loading) return <Text className="list-footer">加载中…</Text>;
  if (state.done) return <Text className={`list-footer ${prefix}-history-end`}>没有更多了</Text>;
  return (
    <Text className={`list-footer list-footer--action ${prefix}-more`} onClick={onMore}>
      加载更多
    </Text>
  );
}
