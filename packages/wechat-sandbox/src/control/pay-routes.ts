import type Router from '@koa/router';
import { z } from 'zod';
import { parseInput, parseJsonBody, parseOptionalJsonBody } from '../core/validate';
import type { SandboxControl } from './sandbox-control';

const payBody = z.object({ result: z.enum(['pay', 'fail']).default('pay') });
const notificationsQuery = z.object({
  out_trade_no: z.string().min(1).optional(),
  event_type: z.string().min(1).optional(),
});
const duplicateBody = z.object({ times: z.number().int().min(1).max(20) });
const delayBody = z.object({ ms: z.number().int().min(0).max(600_000), count: z.number().int().min(1).default(1) });
const releaseBody = z.object({
  order: z.union([z.enum(['fifo', 'reversed']), z.array(z.string().min(1))]).default('fifo'),
});
const corruptBody = z.object({ kind: z.enum(['signature', 'serial', 'timestamp', 'ciphertext']) });
const refundOutcomeBody = z.object({ status: z.enum(['ABNORMAL', 'CLOSED']) });

/** `/__control/pay/…`: WeChat Pay's side of a payment (the payer, the notifications) for out-of-process tests. */
export function mountPayControlRoutes(router: Router, control: SandboxControl): void {
  router.post('/pay/orders/:order/pay', async (ctx) => {
    const { result } = await parseOptionalJsonBody(ctx, payBody);
    ctx.body = control.pay(ctx.params.order ?? '', { result });
  });

  router.get('/pay/notifications', (ctx) => {
    const query = parseInput(notificationsQuery, ctx.query);
    ctx.body = {
      notifications: control.notifications({ outTradeNo: query.out_trade_no, eventType: query.event_type }),
    };
  });

  router.post('/pay/notifications/flush', async (ctx) => {
    await control.flushNotifications();
    ctx.status = 204;
  });

  router.post('/pay/notifications/duplicate', async (ctx) => {
    control.duplicateNextNotification((await parseJsonBody(ctx, duplicateBody)).times);
    ctx.status = 204;
  });

  router.post('/pay/notifications/delay', async (ctx) => {
    const { ms, count } = await parseJsonBody(ctx, delayBody);
    control.delayNextNotifications(ms, count);
    ctx.status = 204;
  });

  router.post('/pay/notifications/hold', (ctx) => {
    control.holdNotifications();
    ctx.status = 204;
  });

  router.post('/pay/notifications/release', async (ctx) => {
    ctx.body = { released: await control.releaseNotifications((await parseOptionalJsonBody(ctx, releaseBody)).order) };
  });

  router.post('/pay/notifications/corrupt', async (ctx) => {
    control.corruptNextNotification((await parseJsonBody(ctx, corruptBody)).kind);
    ctx.status = 204;
  });

  router.post('/pay/notifications/:id/resend', async (ctx) => {
    ctx.body = await control.resendNotification(ctx.params.id ?? '');
  });

  router.post('/pay/refunds/next-outcome', async (ctx) => {
    control.endNextRefund((await parseJsonBody(ctx, refundOutcomeBody)).status);
    ctx.status = 204;
  });
}
