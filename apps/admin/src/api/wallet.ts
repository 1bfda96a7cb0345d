// Stored value for the owner: top-up packages, the liability, the refund setting, the payments list with refunds,
// and the daily reconciliation with WeChat Pay's bill.
import {
  type ChargeRefundRequest,
  type PaymentKind,
  PaymentList,
  ReconciliationReport,
  TopUpPackage,
  type TopUpPackageInput,
  type TopUpRefundRequest,
  WalletLiability,
  WalletPaths,
  WalletSettings,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery, pathId } from './query';

export type TopUpPackageBody = ReturnType<typeof TopUpPackageInput.parse>;
export type TopUpRefundBody = ReturnType<typeof TopUpRefundRequest.parse>;
export type ChargeRefundBody = ReturnType<typeof ChargeRefundRequest.parse>;

/** The package list as a bare array or wrapped in `{ packages }` (the contract does not pin which). */
const PackageList = {
  parse(input: unknown): TopUpPackage[] {
    const list = typeof input === 'object' && input !== null && 'packages' in input ? input.packages : input;
    return TopUpPackage.array().parse(list);
  },
};

/** The contract does not fix what a refund answers, so the page reloads the payments afterwards. */
const anyAnswer = { parse: (input: unknown): unknown => input };

export function listPackages(token: string): Promise<TopUpPackage[]> {
  return apiRequest(WalletPaths.adminPackages, { token, schema: PackageList });
}

export function createPackage(token: string, body: TopUpPackageBody): Promise<TopUpPackage> {
  return apiRequest(WalletPaths.adminPackages, { method: 'POST', token, body, schema: TopUpPackage });
}

/** Sends the whole package (a PATCH naming every field), as the mall does with its items. */
export function updatePackage(token: string, id: string, body: TopUpPackageBody): Promise<TopUpPackage> {
  return apiRequest(WalletPaths.adminPackage(pathId(id)), { method: 'PATCH', token, body, schema: TopUpPackage });
}

export function getWalletLiability(token: string): Promise<WalletLiability> {
  return apiRequest(WalletPaths.adminLiability, { token, schema: WalletLiability });
}

export function getWalletSettings(token: string): Promise<WalletSettings> {
  return apiRequest(WalletPaths.adminSettings, { token, schema: WalletSettings });
}

export function saveWalletSettings(token: string, body: WalletSettings): Promise<WalletSettings> {
  return apiRequest(WalletPaths.adminSettings, { method: 'PUT', token, body, schema: WalletSettings });
}

export const PAYMENT_PAGE_SIZE = 20;

export interface PaymentListParams {
  kind?: PaymentKind | null;
  status?: string | null;
  /** The previous page's `nextCursor`. */
  cursor?: string | null;
  limit?: number;
}

export function paymentListPath({ kind, status, cursor, limit = PAYMENT_PAGE_SIZE }: PaymentListParams): string {
  return `${WalletPaths.adminPayments}${buildQuery({ kind, status, limit, cursor })}`;
}

export function listPayments(token: string, params: PaymentListParams): Promise<PaymentList> {
  return apiRequest(paymentListPath(params), { token, schema: PaymentList });
}

export async function refundTopUp(token: string, id: string, body: TopUpRefundBody): Promise<void> {
  await apiRequest(WalletPaths.adminTopUpRefund(pathId(id)), { method: 'POST', token, body, schema: anyAnswer });
}

export async function refundCharge(token: string, id: string, body: ChargeRefundBody): Promise<void> {
  await apiRequest(WalletPaths.adminChargeRefund(pathId(id)), { method: 'POST', token, body, schema: anyAnswer });
}

export function getReconciliation(token: string, date: string): Promise<ReconciliationReport> {
  return apiRequest(`${WalletPaths.adminReconciliation}${buildQuery({ date })}`, {
    token,
    schema: ReconciliationReport,
  });
}
