import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Field } from '../../components/Field';
import { errorMessage, staffSession } from '../../services';
import '../../components/ui.css';
import './staff.css';

export default function StaffLoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!username.trim() || !password) {
      setError('请输入账号和密码');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await staffSession.login({ username: username.trim(), password });
      void Taro.redirectTo({ url: '/pages/staff/index' });
    } catch (e) {
      setError(errorMessage(e, '登录失败，请稍后重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="page staff-login">
      <View className="staff-hero">
        <Text className="staff-hero__title">店员登录</Text>
        <Text className="staff-hero__text">登录后可扫码识别会员</Text>
      </View>
      <View className="panel">
        <Field label="账号">
          <Input
            className="field__input staff-username"
            value={username}
            placeholder="请输入店员账号"
            onInput={(e) => setUsername(e.detail.value)}
          />
        </Field>
        <Field label="密码">
          <Input
            className="field__input staff-password"
            value={password}
            password
            placeholder="请输入密码"
            onInput={(e) => setPassword(e.detail.value)}
            onConfirm={() => void submit()}
          />
        </Field>
      </View>
      {error && <View className="notice notice--error staff-error">{error}</View>}
      <View className="actions">
        <Button
          className="btn btn--primary staff-login-submit"
          loading={busy}
          disabled={busy || undefined}
          onClick={() => void submit()}
        >
          登录
        </Button>
        <Text className="link staff-invite-link" onClick={() => void Taro.navigateTo({ url: '/pages/staff/invite' })}>
          使用邀请码开通
        </Text>
      </View>
    </View>
  );
}
