import Router from '@koa/router';
import { z } from 'zod';
import { parseInput, parseJsonBody, parseOptionalJsonBody } from '../core/validate';
import { phoneNumberSchema } from '../modules/phone/router';
import { mountPayControlRoutes } from './pay-routes';
import type { SandboxControl } from './sandbox-control';

const loginCodeBody = z
  .object({
    appid: z.string().min(1).optional(),
    openid: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(128).optional(),
    unionid: z.string().min(1).max(64).optional(),
  })
  .refine((body) => body.openid !== undefined || body.user !== undefined, { message: 'Give openid or user' });

const phoneCodeBody = z.object({ appid: z.string().min(1).optional(), phoneNumber: phoneNumberSchema });

const failureBody = z.object({
  api: z.string().min(1),
  errcode: z.number().int().optional(),
  status: z.number().int().optional(),
  errmsg: z.string().optional(),
  code: z
    .string()
    .regex(/^[A-Z_]+$/)
    .optional(),
  count: z.number().int().positive().default(1),
});

const latencyBody = z.object({ api: z.string().min(1), ms: z.number().int().min(0).max(60_000) });
const tokensBody = z.object({ appid: z.string().min(1).optional() });
const clockBody = z.object({ ms: z.number().int().min(0) });
const callsQuery = z.object({ api: z.string().min(1).optional() });
const messagesQuery = z.object({
  appid: z.string().min(1).optional(),
  openid: z.string().min(1).optional(),
  template_id: z.string().min(1).optional(),
  since: z.coerce.number().int().min(0).optional(),
});
const subscriptionBody = z
  .object({
    appid: z.string().min(1).optional(),
    openid: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(128).optional(),
    template_ids: z.array(z.string().min(1)).min(1),
    count: z.number().int().min(1).max(1000).default(1),
  })
  .refine((body) => body.openid !== undefined || body.user !== undefined, { message: 'Give openid or user' });
const quotasQuery = z.object({
  appid: z.string().min(1).optional(),
  openid: z.string().min(1).optional(),
  template_id: z.string().min(1).optional(),
});
const wxacodesQuery = z.object({ appid: z.string().min(1).optional(), scene: z.string().min(1).optional() });

/** The `/__control` JSON API that tests (in or out of process) steer the sandbox with. */
export function createControlRouter(control: SandboxControl): Router {
  const router = new Router({ prefix: '/__control' });

  router.get('/apps', (ctx) => {
    ctx.body = { apps: control.apps() };
  });

  router.post('/login-codes', async (ctx) => {
    ctx.status = 201;
    ctx.body = control.issueLoginCode(await parseJsonBody(ctx, loginCodeBody));
  });

  router.post('/phone-codes', async (ctx) => {
    ctx.status = 201;
    ctx.body = control.issuePhoneCode(await parseJsonBody(ctx, phoneCodeBody));
  });

  router.post('/failures', async (ctx) => {
    control.injectFailure(await parseJsonBody(ctx, failureBody));
    ctx.status = 201;
    ctx.body = { failures: control.pendingFailures() };
  });

  router.get('/failures', (ctx) => {
    ctx.body = { failures: control.pendingFailures() };
  });

  router.post('/latency', async (ctx) => {
    const input = await parseJsonBody(ctx, latencyBody);
    control.setLatency(input.api, input.ms);
    ctx.body = input;
  });

  router.post('/tokens/expire', async (ctx) => {
    const input = await parseOptionalJsonBody(ctx, tokensBody);
    ctx.body = { expired: control.expireTokens(input.appid) };
  });

  router.post('/tokens/invalidate', async (ctx) => {
    const input = await parseOptionalJsonBody(ctx, tokensBody);
    ctx.body = { invalidated: control.invalidateTokens(input.appid) };
  });

  router.get('/calls', (ctx) => {
    ctx.body = control.calls(parseInput(callsQuery, ctx.query).api);
  });

  router.get('/messages', (ctx) => {
    ctx.body = { messages: control.messages(parseInput(messagesQuery, ctx.query)) };
  });

  router.post('/messages/clear', (ctx) => {
    ctx.body = { cleared: control.clearMessages() };
  });

  router.get('/templates', (ctx) => {
    ctx.body = { templates: control.subscribeTemplates() };
  });

  router.post('/subscriptions', async (ctx) => {
    const { template_ids, ...input } = await parseJsonBody(ctx, subscriptionBody);
    ctx.status = 201;
    ctx.body = { quotas: control.grantSubscription({ ...input, templateIds: template_ids }) };
  });

  router.get('/subscriptions', (ctx) => {
    ctx.body = { quotas: control.subscribeQuotas(parseInput(quotasQuery, ctx.query)) };
  });

  router.get('/wxacodes', (ctx) => {
    ctx.body = { wxacodes: control.wxacodes(parseInput(wxacodesQuery, ctx.query)) };
  });

  router.get('/clock', (ctx) => {
    ctx.body = { now: control.now() };
  });

  router.post('/clock/advance', async (ctx) => {
    ctx.body = { now: control.advanceClock((await parseJsonBody(ctx, clockBody)).ms) };
  });

  router.post('/reset', (ctx) => {
    control.reset();
    ctx.status = 204;
  });

  mountPayControlRoutes(router, control);

  return router;
}
