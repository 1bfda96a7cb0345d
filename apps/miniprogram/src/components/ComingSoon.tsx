import { Text, View } from '@tarojs/components';
import './ComingSoon.css';

/** An honest placeholder for tabs whose features are not built yet. */
export function ComingSoon({ title }: { title: string }) {
  return (
    <View className="coming-soon">
      <Text className="coming-soon__title">{title}</Text>
      <Text className="coming-soon__text">即将上线</Text>
      <Text className="coming-soon__hint">功能开发中，敬请期待</Text>
    </View>
  );
}
