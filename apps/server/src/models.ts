// Every model with indexes that carry rules (unique keys, TTL). They are built before the first request.
import type { Connection } from 'mongoose';
import { refundModel } from './flows/refundOrder';
import { jobRunModel } from './jobs/runs';
import { rateLimitModel } from './lib/rateLimiter';
import { auditModel } from './modules/audit/model';
import { campaignModels } from './modules/campaigns/model';
import { MemberCodeService } from './modules/cards/service';
import { couponModels } from './modules/coupons/model';
import { initDashboardModels } from './modules/dashboard/model';
import { importModels } from './modules/imports/model';
import { ledgerModel } from './modules/ledger/model';
import { mallModels } from './modules/mall/model';
import { memberModel } from './modules/members/model';
import { messageModels } from './modules/messages/model';
import { storeSaleModel } from './modules/openapi/sales';
import { nonceModel } from './modules/openapi/signature';
import { orderModel } from './modules/orders/model';
import { ownerModel } from './modules/owners/model';
import { payModels } from './modules/payments/model';
import { referralModels } from './modules/referrals/model';
import { rfmModels } from './modules/rfm/model';
import { segmentModel } from './modules/segments/model';
import { staffInviteModel, staffModel } from './modules/staff/model';
import { storeModel } from './modules/stores/model';
import { tagModels } from './modules/tags/model';
import { shareModels } from './modules/tasks/routes';
import { tierChangeModel } from './modules/tiers/service';
import { walletModels } from './modules/wallet/model';

export async function initModels(conn: Connection): Promise<void> {
  const models = [
    memberModel(conn),
    ownerModel(conn),
    ledgerModel(conn),
    auditModel(conn),
    storeModel(conn),
    staffModel(conn),
    staffInviteModel(conn),
    MemberCodeService.model(conn),
    orderModel(conn),
    refundModel(conn),
    tierChangeModel(conn),
    shareModels(conn).Visits,
    mallModels(conn).Redemptions,
    nonceModel(conn),
    storeSaleModel(conn),
    ...Object.values(payModels(conn)),
    ...Object.values(walletModels(conn)),
    ...Object.values(couponModels(conn)),
    ...Object.values(referralModels(conn)),
    ...Object.values(rfmModels(conn)),
    ...Object.values(tagModels(conn)),
    segmentModel(conn),
    ...Object.values(importModels(conn)),
    ...Object.values(messageModels(conn)),
    ...Object.values(campaignModels(conn)),
    jobRunModel(conn),
    rateLimitModel(conn),
  ];
  await Promise.all(models.map((m) => m.init()));
  // After the models: its time indexes go on their collections.
  await initDashboardModels(conn);
}
