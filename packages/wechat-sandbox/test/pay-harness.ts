// The merchant's side of WeChat Pay, written here with node:crypto alone (not the sandbox's code), so the tests
// check the sandbox against the protocol rather than against itself.
import { createDecipheriv, randomBytes, sign, verify } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureSandboxPayKeys, type PayOptions, type SandboxPayKeys } from '../src';
import { APP, type Harness, startHarness } from './harness';

/** 2026-01-15 10:00:00 in China. */
export const START_MS = Date.UTC(2026, 0, 15, 2, 0, 0);

/** Made once per test file: RSA key generation takes a moment. */
export const KEYS = ensureSandboxPayKeys({ dir: null, appid: APP.appid });

export interface V3Response {
  status: number;
  headers: Headers;
  /** The body exactly as received (what the signature covers). */
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  body: any;
}

export interface AuthOverrides {
  timestamp?: number;
  mchid?: string;
  serial?: string;
  privateKeyPem?: string;
  /** Sign this path instead of the one requested. */
  signedPath?: string;
  /** Sign this body instead of the one sent. */
  signedBody?: string;
}

export function authorization(
  keys: SandboxPayKeys,
  method: string,
  pathAndQuery: string,
  body: string,
  timestamp: number,
  overrides: AuthOverrides = {},
): string {
  const nonce = randomBytes(16).toString('hex');
  const ts = String(overrides.timestamp ?? timestamp);
  const message = `${method}\n${overrides.signedPath ?? pathAndQuery}\n${ts}\n${nonce}\n${overrides.signedBody ?? body}\n`;
  const signature = sign('RSA-SHA256', Buffer.from(message), overrides.privateKeyPem ?? keys.merchantPrivateKeyPem);
  return (
    `WECHATPAY2-SHA256-RSA2048 mchid="${overrides.mchid ?? keys.mchid}",nonce_str="${nonce}",` +
    `signature="${signature.toString('base64')}",timestamp="${ts}",serial_no="${overrides.serial ?? keys.merchantSerial}"`
  );
}

/** Whether Wechatpay-Signature verifies with the platform public key over `timestamp\nnonce\nbody\n`. */
export function verifyWechatpay(
  keys: SandboxPayKeys,
  headers: Headers | http.IncomingHttpHeaders,
  body: string,
): boolean {
  const get = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? '') : String(headers[name.toLowerCase()] ?? '');
  const message = `${get('Wechatpay-Timestamp')}\n${get('Wechatpay-Nonce')}\n${body}\n`;
  return verify(
    'RSA-SHA256',
    Buffer.from(message),
    keys.platformPublicKeyPem,
    Buffer.from(get('Wechatpay-Signature'), 'base64'),
  );
}

export interface EncryptedResource {
  ciphertext: string;
  nonce: string;
  associated_data: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
export function decryptResource(keys: SandboxPayKeys, resource: EncryptedResource): any {
  const sealed = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key), Buffer.from(resource.nonce));
  decipher.setAAD(Buffer.from(resource.associated_data));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]).toString('utf8'));
}

/** What the merchant's server hands to wx.requestPayment. */
export function requestPaymentParams(keys: SandboxPayKeys, prepayId: string, timeStamp: string) {
  const nonceStr = randomBytes(8).toString('hex');
  const pkg = `prepay_id=${prepayId}`;
  const message = `${keys.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
  return {
    appId: keys.appid,
    timeStamp,
    nonceStr,
    package: pkg,
    signType: 'RSA',
    paySign: sign('RSA-SHA256', Buffer.from(message), keys.merchantPrivateKeyPem).toString('base64'),
  };
}

export interface ReceivedNotification {
  headers: http.IncomingHttpHeaders;
  body: string;
  path: string;
}

/** The merchant's notify_url: records every request and answers from a script of statuses (then 200). */
export interface NotifyReceiver {
  url: string;
  received: ReceivedNotification[];
  /** One per request, in order; 'hang' never answers. Empty: 200. */
  answers: Array<number | 'hang'>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<NotifyReceiver> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        path: req.url ?? '',
      });
      const answer = receiver.answers.shift() ?? 200;
      if (answer === 'hang') return;
      res.statusCode = answer;
      res.end(answer === 204 ? undefined : JSON.stringify({ code: answer < 300 ? 'SUCCESS' : 'FAIL' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const receiver: NotifyReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    answers: [],
    async stop() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
  return receiver;
}

/** Polls until `check` passes (notification retries run on real, if scaled-down, timers). */
export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export interface PayHarness extends Harness {
  keys: SandboxPayKeys;
  receiver: NotifyReceiver;
  /** A signed APIv3 call, as the merchant's server makes it. */
  v3(method: 'GET' | 'POST', path: string, body?: unknown, overrides?: AuthOverrides): Promise<V3Response>;
  /** A JSAPI order body for `outTradeNo`, notifying the receiver. */
  orderBody(outTradeNo: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Places an order and returns its prepay_id. */
  placeOrder(outTradeNo: string, overrides?: Record<string, unknown>): Promise<string>;
  /** Sandbox reset, the clock back to START_MS, the receiver's log and script emptied. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startPayHarness(pay: Partial<PayOptions> = {}): Promise<PayHarness> {
  const h = await startHarness({ pay: { keys: KEYS, notifyRetryScale: 0.001, ...pay } });
  const receiver = await startReceiver();
  const harness: PayHarness = {
    ...h,
    keys: KEYS,
    receiver,
    async v3(method, path, body, overrides) {
      const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const response = await fetch(`${h.sandbox.url}${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          Authorization: authorization(KEYS, method, path, raw, Math.floor(h.sandbox.control.now() / 1000), overrides),
        },
        body: method === 'POST' ? raw : undefined,
      });
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json');
      return { status: response.status, headers: response.headers, raw: text, body: isJson ? JSON.parse(text) : text };
    },
    orderBody: (outTradeNo, overrides = {}) => ({
      appid: KEYS.appid,
      mchid: KEYS.mchid,
      description: '会员卡充值',
      out_trade_no: outTradeNo,
      notify_url: `${receiver.url}/wxpay/notify`,
      amount: { total: 1234, currency: 'CNY' },
      payer: { openid: 'o_payer_1' },
      ...overrides,
    }),
    async placeOrder(outTradeNo, overrides) {
      const reply = await harness.v3('POST', '/v3/pay/transactions/jsapi', harness.orderBody(outTradeNo, overrides));
      expect(reply.status).toBe(200);
      return reply.body.prepay_id;
    },
    reset() {
      h.sandbox.control.reset();
      h.clock.ms = START_MS;
      receiver.received.length = 0;
      receiver.answers.length = 0;
    },
    async stop() {
      await h.sandbox.stop();
      await receiver.stop();
    },
  };
  return harness;
}
