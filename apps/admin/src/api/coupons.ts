// Coupons for the owner: the templates with their stats, issuing to many members (a campaign the server works
// through while the page polls it), which templates birthdays, tiers and referrals give, and the referrals.
import {
  type AdminReferral,
  AdminReferrals,
  CouponIssue,
  CouponIssueList,
  CouponPaths,
  CouponSettings,
  CouponTemplate,
  type CouponTemplateInput,
  CouponTemplateList,
  type CouponTemplatePatch,
  type CreateCouponIssueRequest,
  ReferralOverview,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery, pathId } from './query';

export type CouponTemplateBody = ReturnType<typeof CouponTemplateInput.parse>;
export type CouponIssueBody = ReturnType<typeof CreateCouponIssueRequest.parse>;

const TemplateList = { parse: (input: unknown): CouponTemplate[] => CouponTemplateList.parse(input).templates };
const IssueList = { parse: (input: unknown): CouponIssue[] => CouponIssueList.parse(input).issues };
const ReferralList = { parse: (input: unknown): AdminReferral[] => AdminReferrals.parse(input).referrals };

export function listCouponTemplates(token: string): Promise<CouponTemplate[]> {
  return apiRequest(CouponPaths.adminTemplates, { token, schema: TemplateList });
}

export function createCouponTemplate(token: string, body: CouponTemplateBody): Promise<CouponTemplate> {
  return apiRequest(CouponPaths.adminTemplates, { method: 'POST', token, body, schema: CouponTemplate });
}

/** A PATCH names only what changes; effect, conditions and validity are replaced whole when given. */
export function updateCouponTemplate(token: string, id: string, body: CouponTemplatePatch): Promise<CouponTemplate> {
  return apiRequest(CouponPaths.adminTemplate(pathId(id)), { method: 'PATCH', token, body, schema: CouponTemplate });
}

export function listCouponIssues(token: string): Promise<CouponIssue[]> {
  return apiRequest(CouponPaths.adminIssues, { token, schema: IssueList });
}

/** Answers 202 with the campaign queued (or, for a repeated key, the first campaign with `replayed`). */
export function createCouponIssue(token: string, body: CouponIssueBody): Promise<CouponIssue> {
  return apiRequest(CouponPaths.adminIssues, { method: 'POST', token, body, schema: CouponIssue });
}

export function getCouponIssue(token: string, id: string): Promise<CouponIssue> {
  return apiRequest(CouponPaths.adminIssue(pathId(id)), { token, schema: CouponIssue });
}

export function getCouponSettings(token: string): Promise<CouponSettings> {
  return apiRequest(CouponPaths.adminSettings, { token, schema: CouponSettings });
}

export function saveCouponSettings(token: string, body: CouponSettings): Promise<CouponSettings> {
  return apiRequest(CouponPaths.adminSettings, { method: 'PUT', token, body, schema: CouponSettings });
}

export const REFERRAL_PAGE_SIZE = 50;

/** The newest referrals, or the chain around one member (who invited them, whom they invited, two levels down). */
export function referralListPath(memberNo: string | null, limit = REFERRAL_PAGE_SIZE): string {
  return `${CouponPaths.adminReferrals}${buildQuery({ memberNo, limit })}`;
}

export function listReferrals(token: string, memberNo: string | null): Promise<AdminReferral[]> {
  return apiRequest(referralListPath(memberNo), { token, schema: ReferralList });
}

export function getReferralOverview(token: string): Promise<ReferralOverview> {
  return apiRequest(CouponPaths.adminReferralOverview, { token, schema: ReferralOverview });
}
