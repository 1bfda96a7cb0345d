// WeChat Pay's notifications. These answer in WeChat's protocol, not our error shape: 204 when handled, 4xx/5xx
// with {code:'FAIL', message} otherwise, which makes WeChat deliver the notification again later.
import Router from '@koa/router';
import { WalletPaths } from '@member-hub/shared';
import type { Context } from 'koa';
import type { AppDeps } from '../../deps';
import { PaymentSignatureError } from './provider';

export function paymentRoutes(deps: AppDeps): Router {
  const router = new Router();
  const receive = async (ctx: Context) => {
    const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
    try {
      await deps.payments.handleNotification(ctx.headers as Record<string, string | undefined>, raw);
      ctx.status = 204;
    } catch (err) {
      const forged = err instanceof PaymentSignatureError;
      // Never log the body: it carries the payer's openid. The reason is enough to act on.
      deps.logger.warn({ reason: (err as Error).message, path: ctx.path }, 'WeChat Pay notification refused');
      ctx.status = forged ? 401 : 500;
      ctx.body = { code: 'FAIL', message: forged ? '签名验证失败' : '处理失败，请稍后重试' };
    }
  };
  router.post(WalletPaths.payNotify, receive);
  router.post(WalletPaths.refundNotify, receive);
  return router;
}
