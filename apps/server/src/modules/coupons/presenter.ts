import {
  type ClaimableCoupon,
  COUPON_QR_PREFIX,
  type Coupon,
  type CouponIssue,
  type CouponTemplate,
  type CouponTemplateStats,
} from '@member-hub/shared';
import type { CouponDoc, CouponIssueDoc, CouponTemplateDoc } from './model';

export function presentCoupon(c: CouponDoc): Coupon {
  return {
    id: c._id.toHexString(),
    code: c.code,
    qrPayload: `${COUPON_QR_PREFIX}:${c.code}`,
    templateId: c.templateId.toHexString(),
    title: c.title,
    description: c.description,
    effect: c.effect,
    conditions: c.conditions,
    status: c.status,
    source: c.source,
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    heldUntil: c.heldUntil?.toISOString() ?? null,
    receivedAt: c.receivedAt.toISOString(),
    usedAt: c.usedAt?.toISOString() ?? null,
    usedOrderId: c.usedOrderId?.toHexString() ?? null,
    discountFen: c.discountFen,
  };
}

export function presentTemplate(t: CouponTemplateDoc, stats?: CouponTemplateStats): CouponTemplate {
  return {
    id: t._id.toHexString(),
    systemKey: t.systemKey,
    title: t.title,
    description: t.description,
    effect: t.effect,
    conditions: t.conditions,
    validity: t.validity,
    totalStock: t.totalStock,
    stockLeft: t.stockLeft,
    perMemberLimit: t.perMemberLimit,
    claimable: t.claimable,
    active: t.active,
    createdAt: t.createdAt.toISOString(),
    ...(stats && { stats }),
  };
}

export function presentClaimable(t: CouponTemplateDoc, held: number): ClaimableCoupon {
  return {
    templateId: t._id.toHexString(),
    title: t.title,
    description: t.description,
    effect: t.effect,
    conditions: t.conditions,
    validity: t.validity,
    stockLeft: t.stockLeft,
    remainingForMe: Math.max(0, t.perMemberLimit - held),
  };
}

export function presentIssue(i: CouponIssueDoc, replayed?: boolean): CouponIssue {
  return {
    id: i._id.toHexString(),
    templateId: i.templateId.toHexString(),
    templateTitle: i.templateTitle,
    target: i.target,
    status: i.status,
    total: i.total,
    issued: i.issued,
    skipped: i.skipped,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt?.toISOString() ?? null,
    error: i.error,
    ...(replayed !== undefined && { replayed }),
  };
}
