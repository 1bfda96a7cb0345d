import { type CheckInResult, formatPoints, type MyTasks } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { LoadStatus } from '../../components/LoadStatus';
import { checkInMessage, daysToBonus, streakStrip } from '../../loyalty/check-in';
import { SHARE_LANDING_PAGE, SHARE_TITLE, shareLink, sharePath } from '../../loyalty/share';
import { consent, errorMessage, loyalty } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './index.css';

const isWeapp = process.env.TARO_ENV === 'weapp';
type Task = MyTasks['tasks'][number];

export default function TasksPage() {
  const [tasks, setTasks] = useState<MyTasks | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkIn, setCheckIn] = useState<{ kind: 'ok' | 'error'; title: string; detail: string } | null>(null);
  const [sharing, setSharing] = useState(false);
  const [share, setShare] = useState<{ link: string } | { error: string } | null>(null);
  const latest = useRef(0);

  async function load() {
    const id = ++latest.current;
    setLoadError(null);
    try {
      const loaded = await loyalty.tasks();
      if (id === latest.current) setTasks(loaded);
    } catch (error) {
      if (id === latest.current) setLoadError(errorMessage(error, '加载失败，请稍后重试'));
    }
  }

  useDidShow(() => {
    consent.prefetch();
    void load();
  });

  // WeChat asks for the card when the member taps the share button or "转发" in the menu: the link carries a fresh
  // share id, so the points go to this member when a friend opens it.
  useShareAppMessage(() => ({
    title: SHARE_TITLE,
    path: SHARE_LANDING_PAGE,
    promise: loyalty
      .createShare()
      .then(({ shareId }) => ({ title: SHARE_TITLE, path: sharePath(shareId) }))
      .catch(() => ({ title: SHARE_TITLE, path: SHARE_LANDING_PAGE })),
  }));

  async function doCheckIn() {
    if (checking) return;
    // A natural moment to offer points reminders (once a day, shared with the points page); it never holds up the
    // check-in, and its answer is not shown here.
    void consent.ask('points_page');
    setChecking(true);
    setCheckIn(null);
    try {
      const result: CheckInResult = await loyalty.checkIn();
      const message = checkInMessage(result);
      setCheckIn({ kind: 'ok', ...message });
      if (!result.already) void Taro.showToast({ title: message.title, icon: 'success' });
      void load();
    } catch (error) {
      setCheckIn({ kind: 'error', title: errorMessage(error, '签到失败，请稍后重试'), detail: '' });
    } finally {
      setChecking(false);
    }
  }

  async function makeShareLink() {
    if (sharing) return;
    setSharing(true);
    try {
      const { shareId } = await loyalty.createShare();
      setShare({ link: shareLink(window.location, shareId) });
    } catch (error) {
      setShare({ error: errorMessage(error, '生成分享链接失败，请稍后重试') });
    } finally {
      setSharing(false);
    }
  }

  function copy(link: string) {
    Taro.setClipboardData({ data: link }).then(
      () => void Taro.showToast({ title: '链接已复制', icon: 'success' }),
      () => void Taro.showToast({ title: '复制失败，请长按链接手动复制', icon: 'none' }),
    );
  }

  if (!tasks) {
    return (
      <View className="page">
        <LoadStatus error={loadError} onRetry={() => void load()} />
      </View>
    );
  }

  const strip = streakStrip(tasks.checkIn);
  const toGo = daysToBonus(tasks.checkIn);
  const checkInTask = tasks.tasks.find((t) => t.type === 'checkIn');
  const capReached = tasks.dailyCap > 0 && tasks.todayTaskPoints >= tasks.dailyCap;

  return (
    <View className="page tasks">
      <View className="panel tasks-checkin">
        <View className="tasks-checkin__head">
          <Text className="panel__title">每日签到</Text>
          <Text className="tasks-streak">
            {tasks.checkIn.streak > 0 ? `已连续签到 ${tasks.checkIn.streak} 天` : '今天开始连续签到'}
          </Text>
        </View>
        <View className="streak">
          {strip.map((d) => (
            <View key={d.day} className={`streak__day${d.checked ? ' streak__day--on' : ''}`}>
              <Text className="streak__mark">{d.checked ? '✓' : d.bonus ? '礼' : d.day}</Text>
              <Text className="streak__label">{d.bonus ? `+${tasks.checkIn.bonusPoints}` : `第${d.day}天`}</Text>
            </View>
          ))}
        </View>
        {tasks.checkIn.bonusPoints > 0 && (
          <Text className="panel__text tasks-bonus-hint">
            连续签到 {tasks.checkIn.bonusAtStreak} 天额外奖励 {tasks.checkIn.bonusPoints} 积分
            {toGo > 0 ? `，还差 ${toGo} 天` : '，本轮奖励已到账'}
          </Text>
        )}
        <Button
          className="btn btn--gold btn--spaced tasks-checkin-button"
          loading={checking}
          disabled={checking || tasks.checkIn.checkedInToday || undefined}
          onClick={() => void doCheckIn()}
        >
          {tasks.checkIn.checkedInToday ? '今天已签到' : `签到 +${checkInTask?.points ?? 0} 积分`}
        </Button>
        {checkIn && (
          <View className={`notice notice--${checkIn.kind} tasks-checkin-result`}>
            <Text className="tasks-checkin-result__title">{checkIn.title}</Text>
            {checkIn.detail && <Text className="tasks-checkin-result__detail">{checkIn.detail}</Text>}
          </View>
        )}
      </View>

      <View className="panel tasks-today">
        <Text className="panel__title">今日任务积分</Text>
        <Text className="tasks-today__value">
          {formatPoints(tasks.todayTaskPoints)} / {formatPoints(tasks.dailyCap)}
        </Text>
        <Text className="panel__text">
          {capReached ? '今日任务积分已达上限，明天再来吧' : '每天通过任务最多可得的积分有上限，消费积分不受影响'}
        </Text>
      </View>

      <Text className="section-title">积分任务</Text>
      <View className="list tasks-list">
        {tasks.tasks.map((task) => (
          <TaskRow key={task.type} task={task} />
        ))}
      </View>

      <View className="panel tasks-share">
        <Text className="panel__title">分享给好友</Text>
        <Text className="panel__text">好友打开你分享的链接后，你可获得积分（每天有次数上限）。</Text>
        {isWeapp ? (
          <Button className="btn btn--gold btn--spaced tasks-share-button" openType="share">
            分享给好友
          </Button>
        ) : (
          <Button
            className="btn btn--gold btn--spaced tasks-share-button"
            loading={sharing}
            disabled={sharing || undefined}
            onClick={() => void makeShareLink()}
          >
            生成分享链接
          </Button>
        )}
        {share && 'link' in share && (
          <View className="tasks-share-link">
            <Text className="tasks-share-link__text" userSelect>
              {share.link}
            </Text>
            <Button className="btn btn--ghost btn--spaced tasks-share-copy" onClick={() => copy(share.link)}>
              复制链接
            </Button>
          </View>
        )}
        {share && 'error' in share && <Text className="field__error tasks-share-error">{share.error}</Text>}
      </View>
    </View>
  );
}

function TaskRow({ task }: { task: Task }) {
  const done = task.limit > 0 && task.done >= task.limit;
  const action = taskAction(task, done);
  return (
    <View className={`entry tasks-task tasks-task--${task.type}`}>
      <View className="entry__main">
        <Text className="entry__note">{task.title}</Text>
        <Text className="entry__time">
          +{formatPoints(task.points)} 积分
          {task.limit > 1 ? ` · 今日 ${task.done}/${task.limit}` : ''}
          {task.limit === 0 ? ' · 每笔订单一次' : ''}
        </Text>
      </View>
      {done ? (
        <Text className="tag tag--done">已完成</Text>
      ) : action ? (
        <Text className="tag tasks-task__go" onClick={action.go}>
          {action.label}
        </Text>
      ) : (
        <Text className="tag tag--muted">{task.limit === 0 ? '消费后可得' : '未完成'}</Text>
      )}
    </View>
  );
}

function taskAction(task: Task, done: boolean): { label: string; go: () => void } | null {
  if (done) return null;
  switch (task.type) {
    case 'profile':
      return { label: '去完善', go: () => void Taro.navigateTo({ url: '/pages/profile/index' }) };
    case 'phone':
      return { label: '去绑定', go: () => void Taro.switchTab({ url: '/pages/mine/index' }) };
    default:
      return null;
  }
}
