// Builds the Koa app without listening: main.ts listens, tests call it directly.
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { AppDeps } from './deps';
import { AppError } from './errors';
import { authenticate } from './middlewares/auth';
import { errorHandler } from './middlewares/errorHandler';
import { requestId, routeTemplateOf } from './middlewares/requestId';
import { analyticsRoutes } from './modules/analytics/routes';
import { auditRoutes } from './modules/audit/routes';
import { backupRoutes } from './modules/backup/routes';
import { campaignRoutes } from './modules/campaigns/routes';
import { couponAdminRoutes } from './modules/coupons/adminRoutes';
import { couponRoutes } from './modules/coupons/routes';
import { dashboardRoutes } from './modules/dashboard/routes';
import { exportRoutes } from './modules/exports/routes';
import { healthRoutes } from './modules/health/routes';
import { identityRoutes } from './modules/identity/routes';
import { importRoutes } from './modules/imports/routes';
import { jobRoutes } from './modules/jobs/routes';
import { mallRoutes } from './modules/mall/routes';
import { memberAdminRoutes } from './modules/members/adminRoutes';
import { memberRoutes } from './modules/members/routes';
import { messageRoutes } from './modules/messages/routes';
import { metricsRoutes } from './modules/metrics/routes';
import { openApiRoutes } from './modules/openapi/routes';
import { orderRoutes } from './modules/orders/routes';
import { ownerRoutes } from './modules/owners/routes';
import { paidCallRoutes } from './modules/paidCalls/routes';
import { paymentRoutes } from './modules/payments/routes';
import { pointsAdminRoutes } from './modules/points/adminRoutes';
import { pointsRoutes } from './modules/points/routes';
import { referralRoutes } from './modules/referrals/routes';
import { rfmRoutes } from './modules/rfm/routes';
import { rulesRoutes } from './modules/rules/routes';
import { segmentRoutes } from './modules/segments/routes';
import { staffAdminRoutes } from './modules/staff/adminRoutes';
import { staffRoutes } from './modules/staff/routes';
import { storeRoutes } from './modules/stores/routes';
import { tagRoutes } from './modules/tags/routes';
import { taskRoutes } from './modules/tasks/routes';
import { tierRoutes } from './modules/tiers/routes';
import { walletAdminRoutes } from './modules/wallet/adminRoutes';
import { walletRoutes } from './modules/wallet/routes';
import { webRoutes } from './modules/web/routes';

const routeModules = [
  healthRoutes,
  identityRoutes,
  memberRoutes,
  staffRoutes,
  orderRoutes,
  pointsRoutes,
  rulesRoutes,
  tierRoutes,
  taskRoutes,
  mallRoutes,
  openApiRoutes,
  pointsAdminRoutes,
  ownerRoutes,
  memberAdminRoutes,
  storeRoutes,
  staffAdminRoutes,
  auditRoutes,
  analyticsRoutes,
  paymentRoutes,
  walletRoutes,
  walletAdminRoutes,
  couponRoutes,
  couponAdminRoutes,
  referralRoutes,
  dashboardRoutes,
  paidCallRoutes,
  rfmRoutes,
  tagRoutes,
  segmentRoutes,
  importRoutes,
  exportRoutes,
  backupRoutes,
  messageRoutes,
  jobRoutes,
  campaignRoutes,
  webRoutes,
];

export function buildApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = deps.config.env === 'production';
  // Only the last X-Forwarded-For entry is the load balancer's own: earlier ones are whatever the client sent, and
  // trusting them would let anyone pick the IP that per-IP rate limits and the audit log see.
  app.maxIpsCount = 1;
  // Errors are answered by errorHandler; Koa's own logging would print client mistakes as stack traces.
  app.silent = true;
  const allowedOrigins = new Set(deps.config.server.adminOrigins);

  // One root router, so 404 vs 405 is decided over every route at once.
  const root = new Router();
  for (const build of routeModules) root.use(build(deps).routes());
  // /metrics carries the scrape token, not a session: it is answered before session authentication.
  const metrics = metricsRoutes(deps);
  app.use(
    requestId(deps.logger, {
      routeOf: routeTemplateOf(root, metrics),
      onFinished: (sample) => deps.metrics.request(sample),
    }),
  );
  app.use(errorHandler());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The H5 build talks to the WeChat sandbox on another port in development.
          connectSrc: ["'self'", ...(deps.sandboxBaseUrl ? [deps.sandboxBaseUrl] : [])],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('origin');
        return allowedOrigins.has(origin) ? origin : '';
      },
      allowHeaders: ['Content-Type', 'Authorization', 'Accept-Language', 'X-Request-Id', 'Idempotency-Key'],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: deps.config.server.bodyLimit,
      // Only objects and arrays are JSON request bodies here; a bare string or number is malformed.
      jsonStrict: true,
      onError: (err) => {
        const status = (err as { status?: number }).status;
        throw new AppError(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_BODY');
      },
    }),
  );
  app.use(metrics.routes());
  app.use(authenticate(deps));
  app.use(root.routes());
  app.use(
    root.allowedMethods({
      throw: true,
      methodNotAllowed: () => new AppError('METHOD_NOT_ALLOWED'),
      notImplemented: () => new AppError('METHOD_NOT_ALLOWED'),
    }),
  );
  return app;
}
