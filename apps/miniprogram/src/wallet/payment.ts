import { type PaymentParams, type Platform, PlatformError } from '../platform/types';

/** What the pay sheet said, as the return page reads it from its `wxpay` query parameter. */
export type WxPayResult = 'ok' | 'cancel' | 'fail';

export function readWxPay(value: string | null | undefined): WxPayResult | null {
  return value === 'ok' || value === 'cancel' || value === 'fail' ? value : null;
}

/** `path` with `wxpay=<result>` appended, the way the sandbox cashier comes back on H5. */
export function withWxPay(path: string, result: WxPayResult): string {
  return `${path}${path.includes('?') ? '&' : '?'}wxpay=${result}`;
}

/** A page path with its query: empty and missing values are left out, the rest encoded. */
export function pagePath(page: string, params: Record<string, string | null | undefined>): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return query ? `${page}?${query}` : page;
}

/**
 * Pays and says where to go next, so both builds end on the same return page: on weapp the pay sheet answers
 * here and this returns `returnPath` with its `wxpay` result (backing out is 'cancel', a failed payment 'fail');
 * on H5 the browser is already on its way to the cashier, which comes back by itself: null. A failure that is no
 * payment result (the sandbox is off, no network) is thrown for the page to show.
 */
export async function payAndReturn(
  requestPayment: Platform['requestPayment'],
  params: PaymentParams,
  returnPath: string,
): Promise<string | null> {
  try {
    const outcome = await requestPayment(params, returnPath);
    return outcome === 'redirected' ? null : withWxPay(returnPath, 'ok');
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'CANCELLED') return withWxPay(returnPath, 'cancel');
    if (error instanceof PlatformError && error.code === 'FAILED') return withWxPay(returnPath, 'fail');
    throw error;
  }
}
