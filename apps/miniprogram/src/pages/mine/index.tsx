import type { MyProfile } from '@member-hub/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { AccountDeleted } from '../../components/AccountDeleted';
import { CLAIM_PAGE } from '../../coupons/display';
import { INVITE_PAGE } from '../../invite/invite';
import { MESSAGES_PAGE } from '../../messages/preferences';
import { type PhoneNumberEventDetail, PlatformError } from '../../platform/types';
import { account, errorMessage, platform, staffSession } from '../../services';
import { PAY_PAGE } from '../../wallet/charge';
import { HISTORY_PAGE, WALLET_PAGE } from '../../wallet/top-up';
import '../../components/ui.css';
import './index.css';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; profile: MyProfile }
  | { status: 'deleted' };

export const LINKED_MESSAGE = '已关联您在门店的会员账户';

export default function MinePage() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [binding, setBinding] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const latest = useRef(0);

  async function load() {
    if (deletedFlag.get()) {
      setState({ status: 'deleted' });
      return;
    }
    const id = ++latest.current;
    try {
      const profile = await account.profile();
      if (id === latest.current) setState({ status: 'ready', profile });
    } catch (error) {
      if (id === latest.current) setState({ status: 'error', message: errorMessage(error, '加载失败，请稍后重试') });
    }
  }

  useDidShow(() => {
    void load();
  });

  async function bindPhone(detail?: PhoneNumberEventDetail) {
    if (binding) return;
    setBinding(true);
    setNotice(null);
    try {
      const code = await platform.getPhoneNumberCode(detail);
      const result = await account.bindPhone(code);
      latest.current += 1;
      setState({ status: 'ready', profile: result.profile });
      if (result.linkedExisting) {
        setNotice({ kind: 'ok', text: LINKED_MESSAGE });
        void Taro.showToast({ title: LINKED_MESSAGE, icon: 'none', duration: 2500 });
      } else {
        void Taro.showToast({ title: '手机号绑定成功', icon: 'success' });
      }
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'CANCELLED') return;
      setNotice({ kind: 'error', text: errorMessage(error, '绑定失败，请稍后重试') });
      // Already bound elsewhere in the meantime (another device): show what the server has.
      void load();
    } finally {
      setBinding(false);
    }
  }

  async function confirmDelete() {
    const answer = await Taro.showModal({
      title: '注销账号',
      content: '注销后，您的积分、储值余额和优惠券将全部作废且无法恢复，手机号、生日等个人信息将被删除。确定要注销吗？',
      confirmText: '确认注销',
      confirmColor: '#c0392b',
      cancelText: '再想想',
    });
    if (!answer.confirm) return;
    try {
      await account.deleteAccount();
      deletedFlag.set();
      setState({ status: 'deleted' });
      void Taro.showToast({ title: '账号已注销', icon: 'none', duration: 2500 });
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(error, '注销失败，请稍后重试') });
    }
  }

  function openStaff() {
    void Taro.navigateTo({ url: staffSession.current() ? '/pages/staff/index' : '/pages/staff/login' });
  }

  if (state.status === 'deleted') {
    return (
      <View className="page">
        <AccountDeleted onRejoin={() => void load()} />
        <StaffEntry onOpen={openStaff} />
      </View>
    );
  }

  return (
    <View className="page mine">
      {state.status === 'loading' && (
        <View className="status">
          <Text>加载中…</Text>
        </View>
      )}
      {state.status === 'error' && (
        <View className="status">
          <Text className="notice--error">{state.message}</Text>
          <Button className="btn btn--primary" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.status === 'ready' && (
        <>
          <View className="mine-header">
            {state.profile.avatarUrl ? (
              <Image className="mine-avatar" src={state.profile.avatarUrl} mode="aspectFill" />
            ) : (
              <View className="mine-avatar mine-avatar--empty">
                <Text>{(state.profile.nickname ?? '会').slice(0, 1)}</Text>
              </View>
            )}
            <View className="mine-header__text">
              <Text className="mine-name">{state.profile.nickname ?? '尊敬的会员'}</Text>
              <Text className="mine-no">会员号 {state.profile.memberNo}</Text>
            </View>
          </View>

          {notice && <View className={`notice notice--${notice.kind} mine-notice`}>{notice.text}</View>}

          <View className="panel">
            <Text className="panel__title">手机号</Text>
            {state.profile.phone ? (
              <View className="mine-phone">
                <Text className="profile-phone">{state.profile.phone}</Text>
                <Text className="mine-phone__tag">已绑定</Text>
              </View>
            ) : (
              <>
                <Text className="panel__text">绑定手机号后，您在门店的消费积分、优惠券会自动归入此会员账户。</Text>
                {process.env.TARO_ENV === 'weapp' ? (
                  <Button
                    className="btn btn--gold bind-phone-button mine-bind"
                    openType="getPhoneNumber"
                    loading={binding}
                    onGetPhoneNumber={(e) => void bindPhone(e.detail)}
                  >
                    绑定手机号
                  </Button>
                ) : (
                  <Button
                    className="btn btn--gold bind-phone-button mine-bind"
                    loading={binding}
                    onClick={() => void bindPhone()}
                  >
                    绑定手机号
                  </Button>
                )}
              </>
            )}
          </View>

          <View className="list mine-coupons">
            <View className="row mine-invite-link" onClick={() => void Taro.navigateTo({ url: INVITE_PAGE })}>
              <Text className="row__label">邀请有礼</Text>
              <Text className="row__value">邀好友得优惠券 ›</Text>
            </View>
            <View className="row mine-claim-link" onClick={() => void Taro.navigateTo({ url: CLAIM_PAGE })}>
              <Text className="row__label">领券中心</Text>
              <Text className="row__arrow">›</Text>
            </View>
          </View>

          <View className="list mine-wallet">
            <View className="row mine-wallet-link" onClick={() => void Taro.navigateTo({ url: WALLET_PAGE })}>
              <Text className="row__label">储值 / 充值</Text>
              <Text className="row__arrow">›</Text>
            </View>
            <View className="row mine-wallet-history" onClick={() => void Taro.navigateTo({ url: HISTORY_PAGE })}>
              <Text className="row__label">余额明细</Text>
              <Text className="row__arrow">›</Text>
            </View>
            <View className="row mine-pay-link" onClick={() => void Taro.navigateTo({ url: PAY_PAGE })}>
              <Text className="row__label">付款码 / 确认付款</Text>
              <Text className="row__arrow">›</Text>
            </View>
          </View>

          <View className="list">
            <View
              className="row mine-profile-link"
              onClick={() => void Taro.navigateTo({ url: '/pages/profile/index' })}
            >
              <Text className="row__label">个人资料</Text>
              <Text className="row__arrow">›</Text>
            </View>
            <View className="row mine-messages-link" onClick={() => void Taro.navigateTo({ url: MESSAGES_PAGE })}>
              <Text className="row__label">消息订阅</Text>
              <Text className="row__value">积分、储值、优惠提醒 ›</Text>
            </View>
            <View className="row mine-export-link" onClick={() => void Taro.navigateTo({ url: '/pages/export/index' })}>
              <Text className="row__label">导出我的数据</Text>
              <Text className="row__arrow">›</Text>
            </View>
            <View className="row row--danger mine-delete" onClick={() => void confirmDelete()}>
              <Text className="row__label">注销账号</Text>
              <Text className="row__arrow">›</Text>
            </View>
          </View>
          <StaffEntry onOpen={openStaff} />
        </>
      )}
    </View>
  );
}

function StaffEntry({ onOpen }: { onOpen: () => void }) {
  return (
    <View className="list">
      <View className="row staff-entry" onClick={onOpen}>
        <Text className="row__label">店员入口</Text>
        <Text className="row__arrow">›</Text>
      </View>
    </View>
  );
}
