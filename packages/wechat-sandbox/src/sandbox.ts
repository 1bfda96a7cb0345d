import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa, { type Middleware } from 'koa';
import type { SandboxAppConfig } from './apps';
import { createControlRouter } from './control/router';
import { SandboxControl } from './control/sandbox-control';
import { cors } from './core/cors';
import { SandboxHttpError } from './core/http-errors';
import { createAccessTokenRouter } from './modules/access-token/router';
import { createLoginRouter } from './modules/login/router';
import type { PayOptions } from './modules/pay/payments';
import { createPayRouter } from './modules/pay/router';
import { createPhoneRouter } from './modules/phone/router';
import { createSubscribeMessageRouter } from './modules/subscribe-message/router';
import { createWxaCodeRouter } from './modules/wxacode/router';
import { createSandboxState, type SandboxState } from './state';

export interface WechatSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: one app, `{ appid: 'wx_sandbox_app', secret: 'sandbox_secret' }`. */
  apps?: SandboxAppConfig[];
  /** Epoch milliseconds; inject a fake clock to test expiry without sleeping. Default Date.now. */
  now?: () => number;
  /** Request log lines (method, path, status, time: never a query string or body). Default: silent. */
  log?: (line: string) => void;
  /** Plays WeChat Pay APIv3 for the merchant these keys describe. Without it, the pay routes answer 404. */
  pay?: PayOptions;
}

export interface WechatSandbox {
  /** Base URL, e.g. http://127.0.0.1:49152 (no trailing slash). */
  url: string;
  control: SandboxControl;
  stop(): Promise<void>;
}

export async function startWechatSandbox(options: WechatSandboxOptions = {}): Promise<WechatSandbox> {
  const state = createSandboxState(options);
  const control = new SandboxControl(state);
  const app = createSandboxApp(state, control, options.log);
  const server = http.createServer(app.callback());
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    control,
    async stop() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      // Pending notification retries and refunds would otherwise outlive the sandbox.
      await state.pay?.stop();
    },
  };
}

function createSandboxApp(state: SandboxState, control: SandboxControl, log?: (line: string) => void): Koa {
  const app = new Koa();
  app.use(errorHandler(log));
  if (log) app.use(requestLog(log));
  app.use(cors('/sandbox/'));
  const routers = [
    createLoginRouter(state),
    createAccessTokenRouter(state),
    createPhoneRouter(state),
    createWxaCodeRouter(state),
    createSubscribeMessageRouter(state),
    ...(state.pay ? [createPayRouter({ runtime: state.runtime, payments: state.pay })] : []),
    createControlRouter(control),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}

/**
 * Sandbox errors become `{error:{code,message}}` with their status. Unmatched routes answer 404 JSON that also
 * carries a (non-WeChat) errcode, so a WeChat client pointed at a wrong path fails instead of reading success.
 */
function errorHandler(log?: (line: string) => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof SandboxHttpError) {
        ctx.status = error.status;
        ctx.body = error.toBody();
        return;
      }
      const status = (error as { status?: number }).status;
      if (status === 405 || status === 501) {
        ctx.status = 405;
        ctx.body = { error: { code: 'method_not_allowed', message: `${ctx.method} not allowed on ${ctx.path}` } };
        return;
      }
      log?.(`error ${ctx.method} ${ctx.path}: ${error instanceof Error ? error.message : 'unknown'}`);
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'wechat-sandbox internal error' } };
      return;
    }
    if (ctx.status === 404 && ctx.body == null) {
      const message = `wechat-sandbox has no route ${ctx.method} ${ctx.path}`;
      ctx.status = 404;
      ctx.body = { errcode: 404, errmsg: message, error: { code: 'not_found', message } };
    } else if (ctx.status === 405 && ctx.body == null) {
      ctx.status = 405;
      ctx.body = { error: { code: 'method_not_allowed', message: `${ctx.method} not allowed on ${ctx.path}` } };
    }
  };
}

/** Logs the path only: query strings and bodies carry secrets, codes, session keys and phone numbers. */
function requestLog(log: (line: string) => void): Middleware {
  return async (ctx, next) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      log(`${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - started}ms`);
    }
  };
}
