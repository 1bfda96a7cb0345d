import { AcceptReferralResult, CouponPaths, InviteLanding, MyReferral } from '@member-hub/shared';
import type { ApiClient } from '../api/client';
import type { Platform } from '../platform/types';
import type { Session } from '../session/session';

/** 邀请有礼: the member's invite (code, link, invitees) and the invitee's side (landing, accepting). */
export interface ReferralService {
  mine(): Promise<MyReferral>;
  /** The mini-program code that opens the landing with this member's scene, as an `<Image>` src. */
  codeImage(): Promise<string>;
  /** Who invites and what both get: no login needed, the visitor may not be a member yet. */
  landing(token: string): Promise<InviteLanding>;
  /** Binds this member to the inviter; logs in first, so a brand-new visitor becomes a member here. */
  accept(token: string, device: string | undefined): Promise<AcceptReferralResult>;
}

export interface ReferralDeps {
  api: ApiClient;
  session: Session;
  /** Prefix of the API (the client's own), for the image the platform fetches outside the JSON client. */
  baseUrl: string;
  loadImage: Platform['loadImage'];
}

export function createReferralService({ api, session, baseUrl, loadImage }: ReferralDeps): ReferralService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  const imageUrl = `${baseUrl.replace(/\/+$/, '')}${CouponPaths.myReferralCode}`;
  return {
    mine: () => authed(() => api.get(CouponPaths.myReferral, MyReferral)),
    codeImage: () =>
      authed(() => {
        const token = session.token();
        return loadImage(imageUrl, token ? { Authorization: `Bearer ${token}` } : {});
      }),
    landing: (token) => api.get(CouponPaths.inviteLanding(encodeURIComponent(token)), InviteLanding, { auth: false }),
    accept: (token, device) =>
      authed(() => api.post(CouponPaths.acceptReferral, device ? { token, device } : { token }, AcceptReferralResult)),
  };
}
