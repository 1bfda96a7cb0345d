// WeChat Pay API v3 behind PaymentProvider. wechatpay-node-v3 (the project owner's choice) signs requests, builds
// paySign and decrypts resources; it hard-codes the real host and ignores response signatures, so the HTTP client
// it is given (createHttp) swaps in the configured base URL and checks every answer's signature here. The request
// signature covers only the path and query, so it stays valid on another host.
import { createVerify, randomBytes } from 'node:crypto';
import { parseYuanToFen, type RequestPaymentParams } from '@member-hub/shared';
import WechatPay from 'wechatpay-node-v3';
import {
  type JsapiOrderInput,
  type PaymentProvider,
  PaymentProviderError,
  PaymentSignatureError,
  type PayNotification,
  type PayRefund,
  type PayTransaction,
  type RefundInput,
  type TradeBillLine,
} from './provider';

const REAL_HOST = 'https://api.mch.weixin.qq.com';
/** WeChat's rule: reject an answer or notification whose timestamp is more than 5 minutes off. */
const MAX_SKEW_SECONDS = 300;
const TIMEOUT_MS = 10_000;

export interface WechatPayKeys {
  appid: string;
  mchid: string;
  merchantSerial: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  apiV3Key: string;
  /** Public-key mode: the platform key's id (PUB_KEY_ID_...) names the key in Wechatpay-Serial. */
  platformPublicKeyId: string;
  platformPublicKeyPem: string;
}

/**
 * Told of every WeChat Pay call as it ends: `failure` is null on a 2xx, else WeChat Pay's error code (ORDERPAID...),
 * `http_<status>` without one, or `unavailable` (unreachable, or an answer whose signature does not verify).
 */
export type PayCallObserver = (api: string, failure: string | null, seconds: number) => void;

/** WeChat Pay's APIs by path (the names the sandbox uses too), so metrics never carry an order number. */
const PAY_APIS: Array<[RegExp, string]> = [
  [/^\/v3\/pay\/transactions\/jsapi$/, 'pay_jsapi'],
  [/^\/v3\/pay\/transactions\/out-trade-no\/[^/]+\/close$/, 'pay_close'],
  [/^\/v3\/pay\/transactions\/out-trade-no\/[^/]+$/, 'pay_query_out_trade_no'],
  [/^\/v3\/pay\/transactions\/id\/[^/]+$/, 'pay_query_id'],
  [/^\/v3\/refund\/domestic\/refunds$/, 'pay_refund'],
  [/^\/v3\/refund\/domestic\/refunds\/[^/]+$/, 'pay_query_refund'],
  [/^\/v3\/bill\/tradebill$/, 'pay_tradebill'],
  [/^\/v3\/billdownload\/file$/, 'pay_billdownload'],
];

function payApiOf(url: string): string {
  const { pathname } = new URL(url);
  return PAY_APIS.find(([pattern]) => pattern.test(pathname))?.[1] ?? 'pay_other';
}

interface HttpOutput {
  status: number;
  data?: unknown;
  error?: string;
}

export class WechatPayProvider implements PaymentProvider {
  private readonly pay: WechatPay;

  constructor(
    private readonly keys: WechatPayKeys,
    private readonly baseUrl: string = REAL_HOST,
    private readonly now: () => number = Date.now,
    private readonly observe: PayCallObserver = () => {},
  ) {
    this.pay = new WechatPay({
      appid: keys.appid,
      mchid: keys.mchid,
      serial_no: keys.merchantSerial,
      publicKey: Buffer.from(keys.merchantPublicKeyPem),
      privateKey: Buffer.from(keys.merchantPrivateKeyPem),
      key: keys.apiV3Key,
    });
    // The library stamps requests with the wall clock; ours may be injected (tests move time), so sign with it.
    const signer = this.pay as unknown as {
      getSignature(method: string, nonce: string, timestamp: string, url: string, body?: unknown): string;
      getAuthorization(nonce: string, timestamp: string, signature: string): string;
      buildAuthorization(method: string, url: string, params?: unknown): string;
    };
    signer.buildAuthorization = (method, url, params) => {
      const nonce = randomBytes(16).toString('hex');
      const timestamp = String(Math.floor(this.now() / 1000));
      const signature = signer.getSignature(method, nonce, timestamp, url.replace(REAL_HOST, ''), params);
      return signer.getAuthorization(nonce, timestamp, signature);
    };
    this.pay.createHttp({
      get: (url: string, headers: Record<string, string>) => this.send('GET', url, undefined, headers),
      post: (url: string, body: unknown, headers: Record<string, string>) => this.send('POST', url, body, headers),
      upload: () => Promise.reject(new Error('upload is not used')),
    } as never);
  }

  async createJsapiOrder(input: JsapiOrderInput): Promise<RequestPaymentParams> {
    const result = (await this.pay.transactions_jsapi({
      description: input.description,
      out_trade_no: input.outTradeNo,
      time_expire: rfc3339China(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: 'CNY' },
      payer: { openid: input.openid },
    } as never)) as HttpOutput;
    const params = expectOk(result, 'JSAPI 下单') as RequestPaymentParams;
    return {
      appId: params.appId,
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: 'RSA',
      paySign: params.paySign,
    };
  }

  async queryOrder(outTradeNo: string): Promise<PayTransaction | null> {
    const result = (await this.pay.query({ out_trade_no: outTradeNo })) as HttpOutput;
    if (result.status === 404) return null;
    return expectOk(result, '查询订单') as PayTransaction;
  }

  async closeOrder(outTradeNo: string): Promise<'closed' | 'paid'> {
    const result = (await this.pay.close(outTradeNo)) as HttpOutput;
    if (result.status === 204 || result.status === 200) return 'closed';
    if (errorCode(result) === 'ORDERPAID') return 'paid';
    if (result.status === 404) return 'closed'; // never placed at WeChat: nothing to pay
    throw providerError(result, '关闭订单');
  }

  async refund(input: RefundInput): Promise<PayRefund> {
    const result = (await this.pay.refunds({
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      reason: input.reason || undefined,
      notify_url: input.notifyUrl,
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    } as never)) as HttpOutput;
    return expectOk(result, '申请退款') as PayRefund;
  }

  async queryRefund(outRefundNo: string): Promise<PayRefund | null> {
    const result = (await this.pay.find_refunds(outRefundNo)) as HttpOutput;
    if (result.status === 404) return null;
    return expectOk(result, '查询退款') as PayRefund;
  }

  parseNotification(headers: Record<string, string | undefined>, rawBody: string): PayNotification {
    this.verify(headers, rawBody);
    let body: {
      id?: string;
      event_type?: string;
      resource?: { algorithm?: string; ciphertext?: string; associated_data?: string; nonce?: string };
    };
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new PaymentSignatureError('notification body is not JSON');
    }
    const r = body.resource;
    if (!body.id || !body.event_type || r?.algorithm !== 'AEAD_AES_256_GCM' || !r.ciphertext || !r.nonce) {
      throw new PaymentSignatureError('notification without an AEAD_AES_256_GCM resource');
    }
    let plain: unknown;
    try {
      plain = this.pay.decipher_gcm(r.ciphertext, r.associated_data ?? '', r.nonce);
    } catch {
      throw new PaymentSignatureError('resource does not decrypt (bad key, nonce, tag or ciphertext)');
    }
    if (typeof plain !== 'object' || plain === null) throw new PaymentSignatureError('resource is not JSON');
    if (body.event_type === 'TRANSACTION.SUCCESS') {
      return { id: body.id, eventType: 'TRANSACTION.SUCCESS', transaction: plain as PayTransaction };
    }
    if (
      body.event_type === 'REFUND.SUCCESS' ||
      body.event_type === 'REFUND.ABNORMAL' ||
      body.event_type === 'REFUND.CLOSED'
    ) {
      const refund = plain as PayRefund & { refund_status?: PayRefund['status'] };
      return {
        id: body.id,
        eventType: body.event_type,
        refund: { ...refund, status: refund.refund_status ?? refund.status },
      };
    }
    throw new PaymentSignatureError(`unknown event type ${body.event_type}`);
  }

  async tradeBill(date: string): Promise<TradeBillLine[] | null> {
    const meta = (await this.pay.tradebill({ bill_date: date, bill_type: 'ALL' } as never)) as HttpOutput;
    const code = errorCode(meta);
    if (code === 'NO_STATEMENT_EXIST' || code === 'STATEMENT_CREATING') return null;
    const { download_url } = expectOk(meta, '申请交易账单') as { download_url: string };
    // The download link names the provider's host; the library signs only real-host URLs' paths.
    const url = new URL(download_url);
    const file = (await this.pay.downloadBill(`${REAL_HOST}${url.pathname}${url.search}`)) as HttpOutput;
    return parseTradeBill(String(expectOk(file, '下载账单')));
  }

  /** Wechatpay-* headers over `timestamp\nnonce\nbody\n` with the platform key the serial names, and a fresh time. */
  private verify(headers: Record<string, string | undefined>, body: string): void {
    const timestamp = headers['wechatpay-timestamp'];
    const nonce = headers['wechatpay-nonce'];
    const signature = headers['wechatpay-signature'];
    const serial = headers['wechatpay-serial'];
    if (!timestamp || !nonce || !signature || !serial) throw new PaymentSignatureError('missing Wechatpay-* headers');
    if (serial !== this.keys.platformPublicKeyId) throw new PaymentSignatureError(`unknown platform serial ${serial}`);
    const skew = Math.abs(this.now() / 1000 - Number(timestamp));
    if (!Number.isFinite(skew) || skew > MAX_SKEW_SECONDS) {
      throw new PaymentSignatureError('timestamp more than 5 minutes off');
    }
    const ok = createVerify('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n${body}\n`)
      .verify(this.keys.platformPublicKeyPem, signature, 'base64');
    if (!ok) throw new PaymentSignatureError('signature does not verify');
  }

  /** Every WeChat Pay call, observed with its outcome and duration. */
  private async send(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpOutput> {
    const api = payApiOf(url);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let out: HttpOutput;
    try {
      out = await this.exchange(method, url, body, headers);
    } catch (err) {
      this.observe(api, 'unavailable', seconds());
      throw err;
    }
    const ok = out.status >= 200 && out.status < 300;
    this.observe(api, ok ? null : (errorCode(out) ?? `http_${out.status}`), seconds());
    return out;
  }

  private async exchange(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpOutput> {
    const target = url.startsWith(REAL_HOST) ? `${this.baseUrl}${url.slice(REAL_HOST.length)}` : url;
    const text = body === undefined ? undefined : JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers: {
          ...headers,
          Accept: headers.Accept ?? 'application/json',
          'Request-ID': randomBytes(8).toString('hex'),
        },
        body: method === 'POST' ? text : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new PaymentProviderError(`WeChat Pay unreachable: ${(err as Error).message}`, 0, null);
    }
    const raw = await response.text();
    const isBill = new URL(target).pathname.startsWith('/v3/billdownload');
    // Bill files are not signed (WeChat checks them by the hash instead); everything else must be.
    if (!isBill) {
      try {
        this.verify(Object.fromEntries(response.headers), raw);
      } catch (err) {
        throw new PaymentProviderError(`WeChat Pay answer failed verification: ${(err as Error).message}`, 0, null);
      }
    }
    if (isBill) return { status: response.status, data: raw };
    const data = raw === '' ? {} : safeJson(raw);
    return response.ok ? { status: response.status, data } : { status: response.status, data, error: raw };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

function errorCode(result: HttpOutput): string | null {
  const data = result.data as { code?: unknown } | undefined;
  return result.status >= 400 && typeof data?.code === 'string' ? data.code : null;
}

function providerError(result: HttpOutput, what: string): PaymentProviderError {
  const data = result.data as { code?: string; message?: string } | undefined;
  return new PaymentProviderError(
    `${what} failed: ${result.status} ${data?.code ?? ''} ${data?.message ?? ''}`.trim(),
    result.status,
    data?.code ?? null,
  );
}

function expectOk(result: HttpOutput, what: string): unknown {
  if (result.status < 200 || result.status >= 300) throw providerError(result, what);
  return result.data;
}

/** 2026-12-01T20:15:00+08:00: WeChat wants RFC 3339 with an offset, no milliseconds. */
export function rfc3339China(at: Date): string {
  const china = new Date(Math.floor(at.getTime() / 1000) * 1000 + 8 * 3600 * 1000);
  return `${china.toISOString().slice(0, 19)}+08:00`;
}

/** The ALL trade bill: a header row, one row per payment or refund (every value behind a backtick), a summary. */
export function parseTradeBill(csv: string): TradeBillLine[] {
  const rows = csv.split(/\r?\n/).filter((line) => line.length > 0);
  const header = rows[0]?.split(',') ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new PaymentProviderError(`trade bill has no column ${name}`, 0, null);
    return i;
  };
  const idx = {
    transactionId: col('微信订单号'),
    outTradeNo: col('商户订单号'),
    state: col('交易状态'),
    settled: col('应结订单金额'),
    outRefundNo: col('商户退款单号'),
    refund: col('退款金额'),
  };
  const lines: TradeBillLine[] = [];
  for (const row of rows.slice(1)) {
    if (!row.startsWith('`')) break; // the summary header ends the detail rows
    const cells = row.split(',').map((c) => c.replace(/^`/, ''));
    const state = cells[idx.state] ?? '';
    lines.push({
      outTradeNo: cells[idx.outTradeNo] ?? '',
      transactionId: cells[idx.transactionId] ?? '',
      tradeState: state,
      totalFen: parseYuanToFen(cells[idx.settled] ?? '0'),
      refundFen: parseYuanToFen(cells[idx.refund] ?? '0'),
      outRefundNo: state === 'REFUND' ? cells[idx.outRefundNo] || null : null,
    });
  }
  return lines;
}
