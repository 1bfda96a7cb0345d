import {
  Charge,
  ConfirmChargeResult,
  CreateTopUpResult,
  PayCode,
  PendingCharge,
  TopUp,
  TopUpList,
  TopUpPackage,
  Wallet,
  type WalletEntry,
  WalletHistory,
  WalletPaths,
} from '@member-hub/shared';
import { type ApiClient, arrayOf, bareOrWrapped, type Schema } from '../api/client';
import type { Page } from '../loyalty/pager';
import type { Session } from '../session/session';

/** The package list as a bare array or wrapped in `{packages}` (the contract does not pin which). */
const Packages = bareOrWrapped(arrayOf(TopUpPackage), 'packages');
const TopUpAnswer = bareOrWrapped(TopUp, 'topUp');
const ChargeAnswer = bareOrWrapped(Charge, 'charge');

/**
 * For the calls whose answer the contract leaves open (confirm, refund, decline): the top-up or charge when the
 * answer is one, otherwise null, and the page reads it again.
 */
function orNull<T>(schema: Schema<T>): Schema<T | null> {
  return {
    parse(data) {
      try {
        return schema.parse(data);
      } catch {
        return null;
      }
    },
  };
}

const id = (value: string) => encodeURIComponent(value);

/** The member's stored value: balance, top-ups paid with WeChat Pay, payments at the till, the payment code. */
export interface WalletService {
  wallet(): Promise<Wallet>;
  /** The packages on sale now, each with how many more times this member may buy it. */
  packages(): Promise<TopUpPackage[]>;
  /** One page of the balance history, newest first; `after` is the previous page's cursor. */
  history(after: string | null, limit?: number): Promise<Page<WalletEntry>>;
  /** One page of the member's own top-ups (充值记录), newest first; `after` is the previous page's cursor. */
  topUps(after: string | null, limit?: number): Promise<Page<TopUp>>;
  createTopUp(packageId: string, idempotencyKey: string): Promise<CreateTopUpResult>;
  topUp(topUpId: string): Promise<TopUp>;
  /** After the pay sheet said ok: the server asks WeChat Pay and credits the top-up if it was paid. */
  confirmTopUp(topUpId: string): Promise<TopUp | null>;
  refundTopUp(topUpId: string, idempotencyKey: string, reason: string): Promise<TopUp | null>;
  /** The payment staff started for this member and waiting for the member, if any. */
  pendingCharge(): Promise<Charge | null>;
  charge(chargeId: string): Promise<Charge>;
  confirmCharge(chargeId: string, idempotencyKey: string): Promise<ConfirmChargeResult>;
  declineCharge(chargeId: string): Promise<Charge | null>;
  /** A fresh payment code (18 digits, about a minute) for staff to scan. */
  payCode(): Promise<PayCode>;
}

export function createWalletService({ api, session }: { api: ApiClient; session: Session }): WalletService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  /** `?limit=20&cursor=…`: the paging both member lists take (WalletPageQuery). */
  const paged = (after: string | null, limit: number) =>
    `?limit=${limit}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`;
  return {
    wallet: () => authed(() => api.get(WalletPaths.myWallet, Wallet)),
    packages: () => authed(() => api.get(WalletPaths.packages, Packages)),
    async history(after, limit = 20) {
      const page = await authed(() => api.get(`${WalletPaths.myWalletHistory}${paged(after, limit)}`, WalletHistory));
      return { items: page.entries, next: page.nextCursor };
    },
    async topUps(after, limit = 20) {
      const page = await authed(() => api.get(`${WalletPaths.myTopUps}${paged(after, limit)}`, TopUpList));
      return { items: page.topUps, next: page.nextCursor };
    },
    createTopUp: (packageId, idempotencyKey) =>
      authed(() => api.post(WalletPaths.myTopUps, { packageId, idempotencyKey }, CreateTopUpResult)),
    topUp: (topUpId) => authed(() => api.get(WalletPaths.myTopUp(id(topUpId)), TopUpAnswer)),
    confirmTopUp: (topUpId) => authed(() => api.post(WalletPaths.myTopUpConfirm(id(topUpId)), {}, orNull(TopUpAnswer))),
    refundTopUp: (topUpId, idempotencyKey, reason) =>
      authed(() => api.post(WalletPaths.myTopUpRefund(id(topUpId)), { idempotencyKey, reason }, orNull(TopUpAnswer))),
    async pendingCharge() {
      const { charge } = await authed(() => api.get(WalletPaths.myPendingCharge, PendingCharge));
      return charge;
    },
    charge: (chargeId) => authed(() => api.get(WalletPaths.myCharge(id(chargeId)), ChargeAnswer)),
    confirmCharge: (chargeId, idempotencyKey) =>
      authed(() => api.post(WalletPaths.myChargeConfirm(id(chargeId)), { idempotencyKey }, ConfirmChargeResult)),
    declineCharge: (chargeId) =>
      authed(() => api.post(WalletPaths.myChargeDecline(id(chargeId)), {}, orNull(ChargeAnswer))),
    payCode: () => authed(() => api.post(WalletPaths.myPayCode, {}, PayCode)),
  };
}
