import { INVITE_LANDING_PAGE, type MyReferral } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { type AppLocation, appPageUrl } from '../platform/h5';

export const INVITE_PAGE = '/pages/invite/index';
export const HOME_PAGE = '/pages/index/index';

/** The page a share card or the H5 link opens: the landing with the mini-program code's `scene`. */
export function inviteLandingPath(scene: string): string {
  return `/${INVITE_LANDING_PAGE}?scene=${encodeURIComponent(scene)}`;
}

/** The H5 link to copy: same origin and base as this page, hash route to the landing. */
export function inviteLink(location: AppLocation, scene: string): string {
  return appPageUrl(location, inviteLandingPath(scene));
}

/** The share card's title: "送你 ¥50 优惠券" with the reward's name, or a plain invitation without one. */
export function inviteShareTitle(reward: MyReferral['reward']): string {
  return reward ? `送你 ${reward.title}` : '邀你一起来当会员，积分好礼等你拿';
}

/**
 * The inviter's token from the landing's `scene`: `i=<token>`. A scanned code hands it URL-encoded (WeChat), the
 * H5 router hands the query undecoded, a share card may hand it decoded: decode until it no longer changes.
 */
export function readInviteScene(scene: string | null | undefined): string | null {
  let text = scene?.trim() ?? '';
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(text); i += 1) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  const match = /^i=([^\s&=]{4,24})$/.exec(text.trim());
  return match?.[1] ?? null;
}

export type CodeImageState =
  | { status: 'loading' }
  | { status: 'ready'; src: string }
  | { status: 'error'; message: string };

/**
 * The invite page's mini-program code: loaded on the page's first show and on 重试; an answer overtaken by a
 * later load, or arriving after the page is gone, is dropped.
 */
export function createCodeImage({
  load,
  onChange,
  describeError,
}: {
  load: () => Promise<string>;
  onChange: (state: CodeImageState) => void;
  describeError: (error: unknown) => string;
}) {
  let generation = 0;
  return {
    async load() {
      const mine = ++generation;
      onChange({ status: 'loading' });
      try {
        const src = await load();
        if (mine === generation) onChange({ status: 'ready', src });
      } catch (error) {
        if (mine === generation) onChange({ status: 'error', message: describeError(error) });
      }
    },
    stop() {
      generation += 1;
    },
  };
}

/** What the landing says when accepting fails; `final`: asking again cannot help (already bound, own link...). */
export function acceptProblem(error: unknown): { message: string; final: boolean } {
  if (error instanceof ApiError) {
    const final = error.code.startsWith('REFERRAL_') || error.code === 'VALIDATION_FAILED';
    const message = error.code === 'VALIDATION_FAILED' ? '邀请链接无效' : error.message || '接受邀请失败，请稍后重试';
    return { message, final };
  }
  return {
    message: error instanceof Error && error.message ? error.message : '接受邀请失败，请稍后重试',
    final: false,
  };
}
