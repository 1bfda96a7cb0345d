import { Button, Text, View } from '@tarojs/components';
import { deletedFlag } from '../account/deleted-flag';
import './ui.css';

/** Shown instead of member pages after the account was deleted on this device. */
export function AccountDeleted({ onRejoin }: { onRejoin: () => void }) {
  return (
    <View className="status account-deleted">
      <Text className="panel__title">账号已注销</Text>
      <Text className="panel__text">您的个人信息已删除，积分、储值余额与优惠券已作废。</Text>
      <Button
        className="btn btn--primary"
        onClick={() => {
          deletedFlag.clear();
          onRejoin();
        }}
      >
        重新开通会员
      </Button>
    </View>
  );
}
