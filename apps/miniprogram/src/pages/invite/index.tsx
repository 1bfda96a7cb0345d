import { type MyReferral, ReferralStatusLabels } from '@member-hub/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { PageLoadStatus, usePageLoad } from '../../components/PageLoad';
import { couponsNotBuilt } from '../../coupons/coupons';
import { heldHint } from '../../coupons/display';
import {
  type CodeImageState,
  createCodeImage,
  inviteLandingPath,
  inviteLink,
  inviteShareTitle,
} from '../../invite/invite';
import { formatDate } from '../../loyalty/format';
import { errorMessage, referral } from '../../services';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './invite.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

const COMING_SOON = {
  className: 'invite-coming-soon',
  title: '邀请有礼即将上线',
  text: '邀请好友得优惠券的活动正在准备中，敬请期待',
};

/** 邀请有礼: what both get, this member's mini-program code and share card (H5: a link to copy), and the invitees. */
export default function InvitePage() {
  const { state, load } = usePageLoad(referral.mine, couponsNotBuilt);
  const mine = state.status === 'ready' ? state.data : null;

  // WeChat asks for the card when the member taps 分享给好友 or "转发": it opens the landing with this scene.
  useShareAppMessage(() => {
    if (mine) return { title: inviteShareTitle(mine.reward), path: inviteLandingPath(mine.scene) };
    const fallback = { title: inviteShareTitle(null), path: '/pages/index/index' };
    return {
      ...fallback,
      promise: referral
        .mine()
        .then((loaded) => ({ title: inviteShareTitle(loaded.reward), path: inviteLandingPath(loaded.scene) }))
        .catch(() => fallback),
    };
  });

  if (state.status !== 'ready') {
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;
  }
  return <InviteView mine={state.data} />;
}

function InviteView({ mine }: { mine: MyReferral }) {
  const [code, setCode] = useState<CodeImageState>({ status: 'loading' });
  const [image] = useState(() =>
    createCodeImage({
      load: referral.codeImage,
      onChange: setCode,
      describeError: (error) => errorMessage(error, '小程序码加载失败'),
    }),
  );
  const link = isWeapp ? null : inviteLink(window.location, mine.scene);

  // The code is the member's own for good: read once per visit (and on 重试).
  useEffect(() => {
    void image.load();
    return () => image.stop();
  }, [image]);

  function copy(text: string) {
    Taro.setClipboardData({ data: text }).then(
      () => void Taro.showToast({ title: '链接已复制', icon: 'success' }),
      () => void Taro.showToast({ title: '复制失败，请长按链接手动复制', icon: 'none' }),
    );
  }

  return (
    <View className="page invite">
      <View className="hero invite-hero">
        <Text className="invite-hero__title">
          {mine.reward ? `邀好友，各得${mine.reward.title}` : '邀请好友成为会员'}
        </Text>
        <Text className="invite-hero__text invite-reward">
          {mine.reward
            ? mine.reward.description || `好友注册并完成首单消费后，你和好友各得一张${mine.reward.title}`
            : '邀请奖励暂未设置，好友注册并消费后即可绑定邀请关系'}
        </Text>
        <Text className="hero__note">每天最多可邀请 {mine.dailyLimit} 位好友</Text>
      </View>

      <View className="panel invite-code">
        <Text className="panel__title">我的邀请码</Text>
        {code.status === 'ready' ? (
          <Image className="invite-code-image" src={code.src} mode="aspectFit" showMenuByLongpress />
        ) : (
          <View className="invite-code__placeholder">
            <Text className={code.status === 'error' ? 'invite-code-error' : ''}>
              {code.status === 'error' ? code.message : '正在生成小程序码…'}
            </Text>
          </View>
        )}
        {code.status === 'error' && (
          <Text className="link invite-code-retry" onClick={() => void image.load()}>
            重试
          </Text>
        )}
        <Text className="invite-code__hint">好友用微信扫一扫此码，即可接受你的邀请</Text>
      </View>

      <View className="panel invite-share">
        <Text className="panel__title">分享给好友</Text>
        {isWeapp ? (
          <Button className="btn btn--gold invite-share-button" openType="share">
            分享给好友
          </Button>
        ) : (
          link && (
            <>
              <Text className="panel__text">把下面的链接发给好友，好友打开后接受邀请：</Text>
              <Text className="invite-link" userSelect>
                {link}
              </Text>
              <Button className="btn btn--gold btn--spaced invite-link-copy" onClick={() => copy(link)}>
                复制邀请链接
              </Button>
            </>
          )
        )}
      </View>

      {mine.invitedBy && (
        <View className="notice notice--info invite-invited-by">
          你由 {mine.invitedBy.nickname ?? '一位会员'} 邀请加入
        </View>
      )}

      <View className="section-title invite-list-title">
        <Text>我邀请的好友（{mine.invitees.length}）</Text>
        <Text className="invite-rewards"> · 已获得 {mine.rewardsEarned} 份奖励</Text>
      </View>
      <View className="list invitees">
        {mine.invitees.length === 0 ? (
          <Text className="empty invitees-empty">还没有邀请好友，快去分享吧</Text>
        ) : (
          mine.invitees.map((invitee) => (
            <View key={`${invitee.joinedAt}-${invitee.nickname ?? ''}`} className="entry invitee-row">
              <View className="entry__main">
                <Text className="entry__note">{invitee.nickname ?? '新会员'}</Text>
                <Text className="entry__time">
                  {formatDate(invitee.joinedAt)} 加入
                  {invitee.status === 'held' && invitee.heldUntil ? ` · ${heldHint(invitee.heldUntil)}` : ''}
                </Text>
              </View>
              <Text
                className={`tag invitee-status${invitee.status === 'rewarded' ? ' tag--done' : ''}${invitee.status === 'revoked' || invitee.status === 'void' ? ' tag--muted' : ''}`}
              >
                {ReferralStatusLabels[invitee.status]}
              </Text>
            </View>
          ))
        )}
      </View>
    </View>
  );
}
