import { Button, Text, View } from '@tarojs/components';
import './ui.css';

/** The whole-page "加载中…" or the failure with a retry button, as the secondary pages show them. */
export function LoadStatus({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  return (
    <View className="status">
      {error ? (
        <>
          <Text className="notice notice--error load-error">{error}</Text>
          <Button className="btn btn--primary load-retry" onClick={onRetry}>
            重试
          </Button>
        </>
      ) : (
        <Text className="loading">加载中…</Text>
      )}
    </View>
  );
}
