import { AcceptInviteRequest } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { validationMessages } from '../../account/profile-form';
import { isApiError } from '../../api/errors';
import { ErrorList, Field } from '../../components/Field';
import { errorMessage, staffSession } from '../../services';
import '../../components/ui.css';
import './staff.css';

export default function StaffInvitePage() {
  const [form, setForm] = useState({ inviteCode: '', name: '', username: '', password: '' });
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  async function submit() {
    // The shared schema gives the same messages the server would, before a round trip.
    const checked = AcceptInviteRequest.safeParse(form);
    if (!checked.success) {
      setErrors(checked.error.issues.map((i) => (i.path[0] === 'inviteCode' ? '请输入有效的邀请码' : i.message)));
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await staffSession.acceptInvite(checked.data);
      void Taro.showToast({ title: '开通成功', icon: 'success' });
      void Taro.redirectTo({ url: '/pages/staff/index' });
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') {
        const messages = validationMessages(e.details).map((m) => m.message);
        setErrors(messages.length > 0 ? messages : [e.message]);
      } else {
        setErrors([errorMessage(e, '开通失败，请稍后重试')]);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="page staff-invite">
      <View className="staff-hero">
        <Text className="staff-hero__title">开通店员账号</Text>
        <Text className="staff-hero__text">请填写店长发给您的邀请码</Text>
      </View>
      <View className="panel">
        <Field label="邀请码">
          <Input
            className="field__input staff-invite-code"
            value={form.inviteCode}
            placeholder="邀请码"
            onInput={(e) => set({ inviteCode: e.detail.value })}
          />
        </Field>
        <Field label="姓名">
          <Input
            className="field__input staff-invite-name"
            value={form.name}
            maxlength={20}
            placeholder="您的姓名"
            onInput={(e) => set({ name: e.detail.value })}
          />
        </Field>
        <Field label="账号">
          <Input
            className="field__input staff-invite-username"
            value={form.username}
            placeholder="3-32 位字母、数字、下划线"
            onInput={(e) => set({ username: e.detail.value })}
          />
        </Field>
        <Field label="密码">
          <Input
            className="field__input staff-invite-password"
            value={form.password}
            password
            placeholder="至少 8 位"
            onInput={(e) => set({ password: e.detail.value })}
          />
        </Field>
      </View>
      <ErrorList className="staff-error" messages={errors} />
      <View className="actions">
        <Button
          className="btn btn--primary staff-invite-submit"
          loading={busy}
          disabled={busy || undefined}
          onClick={() => void submit()}
        >
          开通并登录
        </Button>
      </View>
    </View>
  );
}
