import type { Gender, MyProfile } from '@member-hub/shared';
import { Button, Image, Input, Picker, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import {
  draftFromProfile,
  type FieldError,
  GENDER_LABELS,
  type ProfileDraft,
  profileChanges,
  validationMessages,
} from '../../account/profile-form';
import { isApiError } from '../../api/errors';
import { ErrorList, Field } from '../../components/Field';
import { account, errorMessage } from '../../services';
import '../../components/ui.css';
import './index.css';

const GENDERS: Gender[] = ['male', 'female', 'unknown'];

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export default function ProfilePage() {
  const [profile, setProfile] = useState<MyProfile | null>(null);
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);

  async function load() {
    setLoadError(null);
    try {
      const loaded = await account.profile();
      setProfile(loaded);
      setDraft(draftFromProfile(loaded));
    } catch (error) {
      setLoadError(errorMessage(error, '加载失败，请稍后重试'));
    }
  }

  useLoad(() => {
    void load();
  });

  if (!profile || !draft) {
    return (
      <View className="page">
        <View className="status">
          {loadError ? (
            <>
              <Text className="notice notice--error">{loadError}</Text>
              <Button className="btn btn--primary" onClick={() => void load()}>
                重试
              </Button>
            </>
          ) : (
            <Text>加载中…</Text>
          )}
        </View>
      </View>
    );
  }

  const set = (patch: Partial<ProfileDraft>) => setDraft({ ...draft, ...patch });
  const fieldErrors = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message);
  const formErrors = errors.filter((e) => !['nickname', 'avatarUrl', 'birthday', 'gender', 'region'].includes(e.field));

  async function save() {
    if (!profile || !draft) return;
    const changes = profileChanges(profile, draft);
    if (Object.keys(changes).length === 0) {
      setErrors([{ field: '', message: '没有需要保存的修改' }]);
      return;
    }
    if (changes.birthday) {
      const answer = await Taro.showModal({
        title: '确认生日',
        content: `生日设置为 ${changes.birthday} 后不能自行修改，如需修改请到店由店员办理。确定保存吗？`,
        confirmText: '确定',
        cancelText: '再看看',
      });
      if (!answer.confirm) return;
    }
    setSaving(true);
    setErrors([]);
    try {
      const updated = await account.updateProfile(changes);
      setProfile(updated);
      setDraft(draftFromProfile(updated));
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (error) {
      if (isApiError(error) && error.code === 'VALIDATION_FAILED') {
        const messages = validationMessages(error.details);
        setErrors(messages.length > 0 ? messages : [{ field: '', message: error.message }]);
      } else {
        setErrors([{ field: '', message: errorMessage(error, '保存失败，请稍后重试') }]);
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="page profile">
      <View className="panel profile-form">
        <Field label="昵称" errors={fieldErrors('nickname')}>
          <Input
            className="field__input profile-nickname"
            value={draft.nickname}
            maxlength={20}
            placeholder="最多 20 个字"
            onInput={(e) => set({ nickname: e.detail.value })}
          />
        </Field>

        <Field label="头像" errors={fieldErrors('avatarUrl')}>
          <View className="profile-avatar-row">
            {draft.avatarUrl ? (
              <Image className="profile-avatar" src={draft.avatarUrl} mode="aspectFill" />
            ) : (
              <View className="profile-avatar profile-avatar--empty" />
            )}
            <Input
              className="field__input profile-avatar-url"
              value={draft.avatarUrl}
              placeholder="头像图片地址（https://…）"
              onInput={(e) => set({ avatarUrl: e.detail.value })}
            />
          </View>
        </Field>

        <Field label="生日" errors={fieldErrors('birthday')}>
          {profile.birthdayLocked ? (
            <>
              <Text className="field__readonly profile-birthday">{profile.birthday}</Text>
              <Text className="field__note">生日设置后如需修改请到店由店员办理</Text>
            </>
          ) : (
            <>
              <Picker
                mode="date"
                value={draft.birthday || '1990-01-01'}
                start="1900-01-01"
                end={today()}
                onChange={(e) => set({ birthday: String(e.detail.value) })}
              >
                <View className="field__picker profile-birthday-picker">
                  {draft.birthday ? (
                    <Text>{draft.birthday}</Text>
                  ) : (
                    <Text className="field__placeholder">请选择生日</Text>
                  )}
                </View>
              </Picker>
              <Text className="field__note">生日只能设置一次，设置后如需修改请到店由店员办理</Text>
            </>
          )}
        </Field>

        <Field label="性别" errors={fieldErrors('gender')}>
          <View className="chips">
            {GENDERS.map((g) => (
              <View
                key={g}
                className={`chip profile-gender-${g}${draft.gender === g ? ' chip--on' : ''}`}
                onClick={() => set({ gender: g })}
              >
                {GENDER_LABELS[g]}
              </View>
            ))}
          </View>
        </Field>

        <Field label="地区" errors={fieldErrors('region')}>
          {process.env.TARO_ENV === 'weapp' ? (
            <Picker
              mode="region"
              value={[draft.province, draft.city, draft.district]}
              onChange={(e) => {
                const [province = '', city = '', district = ''] = e.detail.value;
                set({ province, city, district });
              }}
            >
              <View className="field__picker">
                {draft.province ? (
                  <Text>{[draft.province, draft.city, draft.district].filter(Boolean).join(' ')}</Text>
                ) : (
                  <Text className="field__placeholder">请选择省 / 市 / 区</Text>
                )}
              </View>
            </Picker>
          ) : (
            <View className="profile-region">
              <Input
                className="field__input profile-region__part profile-province"
                value={draft.province}
                placeholder="省份"
                onInput={(e) => set({ province: e.detail.value })}
              />
              <Input
                className="field__input profile-region__part profile-city"
                value={draft.city}
                placeholder="城市"
                onInput={(e) => set({ city: e.detail.value })}
              />
              <Input
                className="field__input profile-region__part profile-district"
                value={draft.district}
                placeholder="区县"
                onInput={(e) => set({ district: e.detail.value })}
              />
            </View>
          )}
        </Field>
      </View>

      <ErrorList className="profile-errors" messages={formErrors.map((e) => e.message)} />

      <View className="actions">
        <Button
          className="btn btn--primary profile-save"
          loading={saving}
          disabled={saving || undefined}
          onClick={() => void save()}
        >
          保存
        </Button>
      </View>
    </View>
  );
}
