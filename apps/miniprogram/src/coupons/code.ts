import { COUPON_QR_PREFIX } from '@member-hub/shared';

export type CouponCodeRead = { ok: true; code: string } | { ok: false; message: string };

const QR_PAYLOAD = new RegExp(`^${COUPON_QR_PREFIX}:`, 'i');

/**
 * A coupon code as staff scan it (`MHCP:<12 digits>`) or type it (the 12 digits, maybe with the spaces the coupon
 * page shows): the form the server takes, scanned payloads with their prefix, typed ones as bare digits.
 */
export function readCouponCode(text: string): CouponCodeRead {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: '请扫描或输入券码' };
  const scanned = QR_PAYLOAD.test(trimmed);
  const digits = (scanned ? trimmed.slice(COUPON_QR_PREFIX.length + 1) : trimmed).replace(/[\s-]/g, '');
  if (!/^\d{12}$/.test(digits)) return { ok: false, message: '券码应为 12 位数字' };
  return { ok: true, code: scanned ? `${COUPON_QR_PREFIX}:${digits}` : digits };
}

export function isCouponCode(text: string): boolean {
  return readCouponCode(text).ok;
}

/** The 12 digits of a scanned or typed code (a coupon's `code`), to find it among the coupons already listed. */
export function couponDigits(code: string): string {
  return QR_PAYLOAD.test(code) ? code.slice(COUPON_QR_PREFIX.length + 1) : code;
}
