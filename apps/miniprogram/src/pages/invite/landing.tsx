import { type AcceptReferralResult, type InviteLanding, ReferralStatusLabels } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { deletedFlag } from '../../account/deleted-flag';
import { AccountDeleted } from '../../components/AccountDeleted';
import { type PageLoad, PageLoadStatus } from '../../components/PageLoad';
import { couponsNotBuilt } from '../../coupons/coupons';
import { acceptProblem, HOME_PAGE, readInviteScene } from '../../invite/invite';
import { taroDeviceId } from '../../invite/taro-device-id';
import { errorMessage, referral, session } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './invite.css';

const COMING_SOON = {
  className: 'invite-coming-soon',
  title: '邀请有礼即将上线',
  text: '邀请活动正在准备中，敬请期待',
};

type Result = { kind: 'ok'; accepted: AcceptReferralResult } | { kind: 'error'; message: string; final: boolean };

/**
 * Where a friend's invite lands (share card, scanned mini-program code, H5 link): `scene=i=<token>`. Shows who
 * invites and what both get; 接受邀请 logs the visitor in first (a brand-new visitor becomes a member here) and
 * binds them to the inviter.
 */
export default function InviteLandingPage() {
  const [state, setState] = useState<PageLoad<InviteLanding>>({ status: 'loading' });
  const [deleted, setDeleted] = useState(false);
  const [accepting, setAccepting] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const token = useRef<string | null>(null);
  const latest = useRef(0);

  async function load() {
    if (!token.current) {
      setState({ status: 'error', message: '邀请链接无效，请让好友重新分享' });
      return;
    }
    const id = ++latest.current;
    try {
      const landing = await referral.landing(token.current);
      if (id === latest.current) setState({ status: 'ready', data: landing });
    } catch (error) {
      if (id !== latest.current) return;
      setState(
        couponsNotBuilt(error)
          ? { status: 'coming-soon' }
          : { status: 'error', message: errorMessage(error, '加载失败，请稍后重试') },
      );
    }
  }

  // The scene comes in the page query: from a scanned code (WeChat puts it there, encoded), a share card or the
  // H5 link (the router hands it undecoded).
  useLoad((params: Record<string, string | undefined>) => {
    token.current = readInviteScene(params.scene);
    if (deletedFlag.get()) {
      setDeleted(true);
      return;
    }
    void load();
    // Log in (a new visitor registers) while the invite is read, so 接受邀请 answers quickly; a failure shows then.
    if (token.current) session.ensureSession().catch(() => {});
  });

  async function accept() {
    if (accepting || !token.current) return;
    setAccepting(true);
    setResult(null);
    try {
      const accepted = await referral.accept(token.current, taroDeviceId());
      setResult({ kind: 'ok', accepted });
      void Taro.showToast({ title: '已接受邀请', icon: 'success' });
    } catch (error) {
      setResult({ kind: 'error', ...acceptProblem(error) });
    } finally {
      setAccepting(false);
    }
  }

  const home = (
    <Button className="btn btn--ghost btn--spaced invite-home" onClick={() => void Taro.switchTab({ url: HOME_PAGE })}>
      去首页看看
    </Button>
  );

  if (deleted) {
    return (
      <View className="page">
        <AccountDeleted
          onRejoin={() => {
            setDeleted(false);
            void load();
          }}
        />
      </View>
    );
  }
  if (state.status !== 'ready') {
    if (state.status === 'error') {
      return (
        <View className="page invite-landing-page">
          <View className="notice notice--error invite-landing-error">{state.message}</View>
          {token.current && (
            <Button className="btn btn--primary btn--spaced actions load-retry" onClick={() => void load()}>
              重试
            </Button>
          )}
          <View className="actions">{home}</View>
        </View>
      );
    }
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;
  }

  const { inviterNickname, reward } = state.data;
  const inviter = inviterNickname ?? '你的好友';
  const done = result?.kind === 'ok' || (result?.kind === 'error' && result.final);
  return (
    <View className="page invite-landing-page">
      <View className="panel invite-landing">
        <Text className="invite-landing__inviter">{inviter} 邀请你成为会员</Text>
        <Text className="invite-landing__reward invite-landing-reward">
          {reward
            ? `${reward.title}${reward.description ? `：${reward.description}` : ''}`
            : '接受邀请后注册成为会员，积分好礼等你拿'}
        </Text>
        {reward && <Text className="panel__text">接受邀请并完成首单消费后，你和 {inviter} 各得一份奖励。</Text>}
        {!done && (
          <Button
            className="btn btn--gold btn--spaced accept-invite"
            loading={accepting}
            disabled={accepting || undefined}
            onClick={() => void accept()}
          >
            接受邀请
          </Button>
        )}
      </View>

      {result?.kind === 'ok' && (
        <View className="notice notice--ok invite-result invite-result--ok">
          <Text className="invite-result__title">接受邀请成功</Text>
          <Text className="invite-result__line">
            邀请人：{result.accepted.inviterNickname ?? inviter}（{ReferralStatusLabels[result.accepted.status]}）
          </Text>
          {reward && <Text className="invite-result__line">完成首单消费后，你们各得一份{reward.title}。</Text>}
        </View>
      )}
      {result?.kind === 'error' && (
        <View className="notice notice--error invite-result invite-result--error">
          <Text className="invite-result__title">{result.message}</Text>
        </View>
      )}
      {done && <View className="actions">{home}</View>}
    </View>
  );
}
