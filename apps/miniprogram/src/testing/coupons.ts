// Coupons as the server answers them, for the coupon, till and invite tests.
import type { Coupon, StaffCouponView } from '@member-hub/shared';

export function coupon(patch: Partial<Coupon> = {}): Coupon {
  return {
    id: 'cp1',
    code: '123456789012',
    qrPayload: 'MHCP:123456789012',
    templateId: '0123456789abcdef0123cccc',
    title: '满100减20',
    description: '',
    effect: { kind: 'cash_off', valueFen: 2_000 },
    conditions: { thresholdFen: 10_000, storeIds: [], categories: [], stackable: false },
    status: 'available',
    source: 'claim',
    validFrom: '2029-12-31T16:00:00.000Z',
    validUntil: '2030-01-31T16:00:00.000Z',
    heldUntil: null,
    receivedAt: '2029-12-31T16:00:00.000Z',
    usedAt: null,
    usedOrderId: null,
    discountFen: null,
    ...patch,
  };
}

export function staffCouponView(patch: Partial<StaffCouponView> = {}): StaffCouponView {
  return {
    coupon: coupon(),
    member: { memberId: '0123456789abcdef01234567', memberNo: '10000001', nickname: '小明' },
    verifiableAlone: false,
    problem: null,
    ...patch,
  };
}
