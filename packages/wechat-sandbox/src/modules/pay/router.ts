import Router from '@koa/router';
import { z } from 'zod';
import { httpUrl } from '../../core/urls';
import { parseJsonBody } from '../../core/validate';
import { firstQueryValues, type WechatApiRuntime } from '../../core/wechat-api';
import { renderCashier, renderCashierError } from './cashier-page';
import { formatYuan } from './money';
import { transactionView } from './orders';
import { mountPayApi, type PayApi } from './pay-api';
import { payErrors } from './pay-errors';
import type { Payments } from './payments';
import { refundView } from './refunds';
import { jsapiOrderBody, merchantInput, parsePayInput, refundBody, tradeBillQuery } from './requests';

export interface PayDeps {
  runtime: WechatApiRuntime;
  payments: Payments;
}

const paymentRequest = z.object({
  appId: z.string().min(1),
  timeStamp: z.string().min(1),
  nonceStr: z.string().min(1),
  package: z.string().min(1),
  signType: z.string().optional(),
  paySign: z.string().min(1),
});
const confirmBody = paymentRequest.extend({ action: z.enum(['pay', 'cancel', 'fail']) });

/** WeChat Pay APIv3 for a mini-program (JSAPI) merchant, plus the cashier that `wx.requestPayment` shows on H5. */
export function createPayRouter(deps: PayDeps): Router {
  const router = new Router();
  const { payments } = deps;
  const { keys, orders, refunds, bills } = payments;
  const mount = (api: PayApi) => mountPayApi(router, deps.runtime, keys, api);
  const checkMerchant = (mchid: string) => {
    if (mchid !== keys.mchid) throw payErrors.mchidMismatch();
  };

  mount({
    name: 'pay_jsapi',
    method: 'POST',
    path: '/v3/pay/transactions/jsapi',
    handle({ json }) {
      const request = parsePayInput(jsapiOrderBody, json(), 'body');
      checkMerchant(request.mchid);
      if (request.appid !== keys.appid) throw payErrors.appidMchidNotMatch();
      return { json: { prepay_id: orders.place(request) } };
    },
  });

  mount({
    name: 'pay_query_out_trade_no',
    method: 'GET',
    path: '/v3/pay/transactions/out-trade-no/:out_trade_no',
    handle({ params, query }) {
      checkMerchant(parsePayInput(merchantInput, query, 'query').mchid);
      const order = orders.find(params.out_trade_no ?? '');
      if (!order) throw payErrors.orderNotExist();
      return { json: { ...transactionView(order) } };
    },
  });

  mount({
    name: 'pay_query_id',
    method: 'GET',
    path: '/v3/pay/transactions/id/:transaction_id',
    handle({ params, query }) {
      checkMerchant(parsePayInput(merchantInput, query, 'query').mchid);
      const order = orders.findByTransactionId(params.transaction_id ?? '');
      if (!order) throw payErrors.orderNotExist();
      return { json: { ...transactionView(order) } };
    },
  });

  mount({
    name: 'pay_close',
    method: 'POST',
    path: '/v3/pay/transactions/out-trade-no/:out_trade_no/close',
    handle({ params, json }) {
      checkMerchant(parsePayInput(merchantInput, json(), 'body').mchid);
      const order = orders.find(params.out_trade_no ?? '');
      if (!order) throw payErrors.orderNotExist();
      orders.close(order);
      return { noContent: true };
    },
  });

  mount({
    name: 'pay_refund',
    method: 'POST',
    path: '/v3/refund/domestic/refunds',
    handle({ json }) {
      return { json: { ...refundView(payments.refund(parsePayInput(refundBody, json(), 'body'))) } };
    },
  });

  mount({
    name: 'pay_query_refund',
    method: 'GET',
    path: '/v3/refund/domestic/refunds/:out_refund_no',
    handle({ params }) {
      const refund = refunds.find(params.out_refund_no ?? '');
      if (!refund) throw payErrors.resourceNotExists('退款单不存在');
      return { json: { ...refundView(refund) } };
    },
  });

  mount({
    name: 'pay_tradebill',
    method: 'GET',
    path: '/v3/bill/tradebill',
    handle({ query, baseUrl }) {
      const request = parsePayInput(tradeBillQuery, query, 'query');
      const { hashValue, token } = bills.apply(request, orders.list(), refunds.list());
      return {
        json: {
          hash_type: 'SHA1',
          hash_value: hashValue,
          download_url: `${baseUrl}/v3/billdownload/file?token=${token}`,
        },
      };
    },
  });

  mount({
    name: 'pay_billdownload',
    method: 'GET',
    path: '/v3/billdownload/file',
    handle({ query }) {
      const file = bills.download(query.token);
      if (file === undefined) throw payErrors.invalidRequest('下载地址无效或已过期，请重新申请账单获取下载地址');
      return typeof file === 'string'
        ? { file, contentType: 'text/csv; charset=utf-8' }
        : { file, contentType: 'application/gzip' };
    },
  });

  router.get('/sandbox/pay/cashier', (ctx) => {
    const query = firstQueryValues(ctx);
    ctx.type = 'html';
    const refuse = (error: string, returnUrl?: string) => {
      ctx.status = 400;
      ctx.body = renderCashierError(error, returnUrl);
    };
    const returnUrl = query.return_url;
    if (returnUrl !== undefined && !httpUrl(returnUrl)) return refuse('return_url 须为 http(s) 绝对地址');
    const input = paymentRequest.safeParse(query);
    if (!input.success) return refuse('缺少支付参数：appId、timeStamp、nonceStr、package、paySign', returnUrl);
    const checked = payments.checkPaymentRequest(input.data);
    if ('error' in checked) return refuse(checked.error, returnUrl);
    const { request } = checked.order;
    ctx.body = renderCashier({
      amount: formatYuan(request.amount.total),
      description: request.description,
      mchid: request.mchid,
      outTradeNo: request.out_trade_no,
      payment: input.data,
      returnUrl,
    });
  });

  router.post('/sandbox/pay/cashier/confirm', async (ctx) => {
    const { action, ...payment } = await parseJsonBody(ctx, confirmBody);
    const checked = payments.checkPaymentRequest(payment);
    if ('error' in checked) {
      ctx.body = { result: 'fail', errMsg: `requestPayment:fail ${checked.error}` };
    } else if (action === 'cancel') {
      ctx.body = { result: 'cancel', errMsg: 'requestPayment:fail cancel' };
    } else if (action === 'fail') {
      payments.settlePayment(checked.order, 'fail');
      ctx.body = { result: 'fail', errMsg: 'requestPayment:fail 支付失败（沙箱模拟）' };
    } else {
      payments.settlePayment(checked.order, 'pay');
      ctx.body = { result: 'ok', errMsg: 'requestPayment:ok' };
    }
  });

  return router;
}
