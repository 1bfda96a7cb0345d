import { type AppLocation, appPageUrl } from '../platform/h5';

/** Where a shared link lands: the home page, which reports the visit after login. */
export const SHARE_LANDING_PAGE = '/pages/index/index';
export const SHARE_TITLE = '邀你一起来当会员，积分好礼等你拿';

/** The mini-program path a WeChat share card opens. */
export function sharePath(shareId: string): string {
  return `${SHARE_LANDING_PAGE}?share=${encodeURIComponent(shareId)}`;
}

/** The H5 link to copy: same origin and base as this page, hash route to the home page. */
export function shareLink(location: AppLocation, shareId: string): string {
  return appPageUrl(location, sharePath(shareId));
}
