import type { MessagePreference, MessagePreferences } from '@member-hub/shared';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { isRouteMissing } from '../../api/errors';
import { type PageLoad, PageLoadStatus } from '../../components/PageLoad';
import {
  CATEGORY_TEXT,
  mutedKinds,
  quotaText,
  sharedQuotaNote,
  subscribeToast,
  withMuted,
} from '../../messages/preferences';
import { consent, errorMessage, messages } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './index.css';

const COMING_SOON = {
  className: 'messages-coming-soon',
  title: '消息订阅即将上线',
  text: '订阅消息功能正在准备中，敬请期待',
};

/** 消息订阅: each kind of message with its sends left, a switch to turn it off, and 订阅 to allow one more. */
export default function MessagesPage() {
  const [state, setState] = useState<PageLoad<MessagePreferences>>({ status: 'loading' });
  const [saving, setSaving] = useState(false);
  const [asking, setAsking] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const latest = useRef(0);

  async function load() {
    const id = ++latest.current;
    try {
      const data = await consent.reload();
      if (id === latest.current) setState({ status: 'ready', data });
    } catch (error) {
      if (id !== latest.current) return;
      setState(
        isRouteMissing(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  useDidShow(() => {
    void load();
  });

  /** Shows preferences at once; a load still on its way is dropped. */
  function show(data: MessagePreferences) {
    latest.current += 1;
    setState({ status: 'ready', data });
  }

  async function toggle(preferences: MessagePreferences, preference: MessagePreference, on: boolean) {
    if (saving) return;
    const next = withMuted(preferences, preference.kind, !on);
    show(next);
    setSaving(true);
    setNotice(null);
    try {
      const saved = await messages.setMuted(mutedKinds(next));
      consent.remember(saved);
      show(saved);
    } catch (error) {
      show(preferences);
      setNotice(errorMessage(error, '保存失败，请稍后重试'));
    } finally {
      setSaving(false);
    }
  }

  // Straight from the tap: the consent sheet opens only in answer to one.
  async function subscribe(preference: MessagePreference) {
    if (asking) return;
    setAsking(preference.templateId);
    setNotice(null);
    const outcome = await consent.subscribe([preference.templateId]);
    setAsking(null);
    if (outcome.status === 'answered') show(outcome.preferences);
    const toast = subscribeToast(outcome);
    if (toast) void Taro.showToast({ ...toast, duration: 2000 });
  }

  if (state.status !== 'ready') {
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;
  }

  const preferences = state.data;
  return (
    <View className="page messages">
      <View className="panel messages-intro">
        <Text className="panel__title">订阅说明</Text>
        <Text className="panel__text">
          按微信规定，每次点「允许」，我们只能给您发送一条对应的消息；次数用完后，需要再次订阅才会收到。想多收几次，可多点几次「订阅」。
        </Text>
        <Text className="panel__text messages-intro__more">
          关闭开关后，即使还有剩余次数，我们也不会再发送这类消息。
        </Text>
      </View>

      {notice && <View className="notice notice--error messages-notice">{notice}</View>}

      <View className="list messages-list">
        {preferences.preferences.map((p) => (
          <KindRow
            key={p.kind}
            preference={p}
            shared={sharedQuotaNote(preferences, p)}
            saving={saving}
            asking={asking}
            onToggle={(on) => void toggle(preferences, p, on)}
            onSubscribe={() => void subscribe(p)}
          />
        ))}
      </View>

      <Text className="field__note messages-footnote">
        也可以在小程序右上角「···」›「设置」›「订阅消息」中管理微信的订阅提醒。
      </Text>
    </View>
  );
}

function KindRow({
  preference: p,
  shared,
  saving,
  asking,
  onToggle,
  onSubscribe,
}: {
  preference: MessagePreference;
  shared: string | null;
  saving: boolean;
  asking: string | null;
  onToggle: (on: boolean) => void;
  onSubscribe: () => void;
}) {
  return (
    <View className={`message-kind${p.muted ? ' message-kind--off' : ''}`} data-kind={p.kind}>
      <View className="message-kind__head">
        <View className="message-kind__name">
          <Text className="message-kind__label">{p.label}</Text>
          <Text className={`tag${p.category === 'marketing' ? ' tag--muted' : ''} message-kind__category`}>
            {CATEGORY_TEXT[p.category]}
          </Text>
        </View>
        <Switch
          className="message-kind-switch"
          checked={!p.muted}
          disabled={saving || undefined}
          color="#b8862f"
          onChange={(e) => onToggle(e.detail.value)}
        />
      </View>
      <Text className="message-kind__hint">{p.hint}</Text>
      <View className="message-kind__foot">
        <View className="message-kind__quota">
          <Text className={`message-kind-quota${p.quota > 0 ? ' message-kind-quota--left' : ''}`}>
            {p.muted ? '已关闭' : quotaText(p.quota)}
          </Text>
          {shared && !p.muted && <Text className="message-kind__shared">{shared}</Text>}
        </View>
        <Button
          className="btn btn--gold message-kind-subscribe"
          size="mini"
          loading={asking === p.templateId}
          disabled={p.muted || asking !== null || undefined}
          onClick={onSubscribe}
        >
          订阅
        </Button>
      </View>
    </View>
  );
}
