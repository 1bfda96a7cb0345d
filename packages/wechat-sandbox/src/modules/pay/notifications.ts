import { randomUUID } from 'node:crypto';
import { chinaRfc3339 } from '../../core/china-time';
import type { SandboxClock } from '../../core/clock';
import { SandboxHttpError } from '../../core/http-errors';
import { randomDigits, randomHex } from '../../core/ids';
import type { SandboxPayKeys } from './keys';
import { encryptResource, rsaSign, wechatpaySignatureHeaders, wechatpaySignMessage } from './signing';

/** WeChat's retry schedule after a failed delivery (about 24 hours in all), in seconds; then it gives up. */
export const NOTIFY_RETRY_SCHEDULE_S = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5000;
/** How old a 'timestamp'-corrupted notification claims to be: past the 5 minutes a merchant accepts. */
const STALE_TIMESTAMP_S = 10 * 60;

/** Ways to spoil one delivery: a wrong signature, an unknown key id, an old timestamp, undecryptable data. */
export type NotificationCorruption = 'signature' | 'serial' | 'timestamp' | 'ciphertext';
/** The order `releaseNotifications` sends held notifications in: as they came, reversed, or these ids. */
export type ReleaseOrder = 'fifo' | 'reversed' | string[];

export interface NotificationAttempt {
  /** Sandbox time the request was sent. */
  at: number;
  /** The merchant's HTTP status, when it answered. */
  status?: number;
  /** 'timeout', or why the connection failed. */
  error?: string;
  corrupted?: NotificationCorruption;
}

export interface PayNotification {
  /** The notification id: the same in every retry and duplicate. */
  id: string;
  eventType: string;
  url: string;
  outTradeNo: string;
  outRefundNo?: string;
  createdAt: number;
  /** The JSON body as sent (the encrypted envelope). */
  body: string;
  /** The resource before encryption: what the merchant should decrypt. */
  resource: Record<string, unknown>;
  attempts: NotificationAttempt[];
  /** held: waiting for release; pending: its next attempt is due, under way or scheduled. */
  status: 'held' | 'pending' | 'delivered' | 'gave_up';
  delivered: boolean;
}

export interface NotificationInput {
  url: string;
  eventType: string;
  summary: string;
  /** 'transaction' or 'refund': the resource's original_type and its associated_data. */
  originalType: string;
  resource: Record<string, unknown>;
  outTradeNo: string;
  outRefundNo?: string;
}

/** What the next notification's first delivery does differently. */
interface FirstAttempt {
  copies: number;
  corruption?: NotificationCorruption;
}

interface Delivery {
  view: PayNotification;
  envelope: Record<string, unknown> & { resource: Record<string, unknown> };
  retries: number;
  timer?: NodeJS.Timeout;
}

const TIMEOUT = Symbol('timeout');

/**
 * Sends WeChat Pay notifications to merchants: encrypted with the APIv3 key, signed with the platform key, retried
 * on WeChat's schedule (times `retryScale`) until a 200/204 answer, and logged attempt by attempt. Tests steer the
 * next deliveries (duplicates, delays, holding and reordering, corruption) to exercise the merchant's handler.
 */
export class Notifier {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();
  private held: Array<{ delivery: Delivery; first: FirstAttempt }> | undefined;
  private next: FirstAttempt = { copies: 1 };
  private delay: { ms: number; remaining: number } | undefined;
  private stopped = false;

  constructor(
    private readonly keys: SandboxPayKeys,
    private readonly clock: SandboxClock,
    private readonly options: { retryScale: number; timeoutMs: number },
  ) {}

  send(input: NotificationInput): PayNotification {
    const id = randomUUID();
    const { ciphertext, nonce } = encryptResource(
      this.keys.apiV3Key,
      JSON.stringify(input.resource),
      input.originalType,
    );
    const envelope = {
      id,
      create_time: chinaRfc3339(this.clock.now()),
      resource_type: 'encrypt-resource',
      event_type: input.eventType,
      summary: input.summary,
      resource: {
        original_type: input.originalType,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext,
        associated_data: input.originalType,
        nonce,
      },
    };
    const delivery: Delivery = {
      view: {
        id,
        eventType: input.eventType,
        url: input.url,
        outTradeNo: input.outTradeNo,
        ...(input.outRefundNo === undefined ? {} : { outRefundNo: input.outRefundNo }),
        createdAt: this.clock.now(),
        body: JSON.stringify(envelope),
        resource: input.resource,
        attempts: [],
        status: 'pending',
        delivered: false,
      },
      envelope,
      retries: 0,
    };
    this.deliveries.set(id, delivery);
    const first = this.next;
    this.next = { copies: 1 };
    if (this.held) {
      delivery.view.status = 'held';
      this.held.push({ delivery, first });
    } else if (this.delay) {
      const { ms } = this.delay;
      this.delay.remaining -= 1;
      if (this.delay.remaining <= 0) this.delay = undefined;
      this.later(delivery, ms, () => this.deliver(delivery, first));
    } else {
      this.track(this.deliver(delivery, first));
    }
    return copyView(delivery.view);
  }

  list(filter: { outTradeNo?: string; eventType?: string } = {}): PayNotification[] {
    return [...this.deliveries.values()]
      .map((delivery) => delivery.view)
      .filter(
        (view) =>
          (filter.outTradeNo === undefined || view.outTradeNo === filter.outTradeNo) &&
          (filter.eventType === undefined || view.eventType === filter.eventType),
      )
      .map(copyView);
  }

  /** The next notification's first delivery goes out `times` times at once (same id and body). */
  duplicateNext(times: number): void {
    this.next = { ...this.next, copies: times };
  }

  /** The next notification's first delivery is spoiled in one way; its retries are sound. */
  corruptNext(corruption: NotificationCorruption): void {
    this.next = { ...this.next, corruption };
  }

  /** The next `count` notifications wait `ms` (real time) before their first delivery. */
  delayNext(ms: number, count: number): void {
    this.delay = { ms, remaining: count };
  }

  /** From now on notifications are queued instead of sent, until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /**
   * Sends the queued notifications one at a time in `order` (each after the merchant answered the one before, so
   * they arrive in that order) and stops holding. Returns the ids in the order sent.
   */
  async release(order: ReleaseOrder): Promise<string[]> {
    const queued = this.held ?? [];
    let sequence = queued;
    if (order === 'reversed') sequence = [...queued].reverse();
    else if (Array.isArray(order)) {
      const byId = new Map(queued.map((entry) => [entry.delivery.view.id, entry]));
      if (
        order.length !== queued.length ||
        new Set(order).size !== order.length ||
        !order.every((id) => byId.has(id))
      ) {
        throw new SandboxHttpError(400, 'invalid_release_order', 'order must list every held notification id once', {
          held: [...byId.keys()],
        });
      }
      sequence = order.map((id) => byId.get(id) as (typeof queued)[number]);
    }
    this.held = undefined;
    for (const { delivery, first } of sequence) {
      delivery.view.status = 'pending';
      const sent = this.deliver(delivery, first);
      this.track(sent);
      await sent;
    }
    return sequence.map(({ delivery }) => delivery.view.id);
  }

  /** Delivers a past notification once more, now (as WeChat may): same id and body, fresh signature. */
  async resend(id: string): Promise<NotificationAttempt> {
    const delivery = this.deliveries.get(id);
    if (!delivery) throw new SandboxHttpError(404, 'unknown_notification', `No notification with id ${id}`);
    const sent = this.post(delivery);
    this.track(sent);
    const attempt = await sent;
    delivery.view.attempts.push(attempt);
    if (isAccepted(attempt) && !delivery.view.delivered) {
      clearTimeout(delivery.timer);
      this.markDelivered(delivery);
    }
    return attempt;
  }

  /** Waits for every delivery under way (retries, delays and held notifications are not due, so not waited for). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Forgets every notification; deliveries under way are cut off and no retry follows. */
  reset(): void {
    this.cancelAll();
    this.deliveries.clear();
    this.held = undefined;
    this.next = { copies: 1 };
    this.delay = undefined;
  }

  /** For the sandbox's stop(): no timer or connection outlives it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelAll();
    await this.flush();
  }

  private cancelAll(): void {
    for (const delivery of this.deliveries.values()) clearTimeout(delivery.timer);
    for (const controller of this.aborts) controller.abort();
  }

  private async deliver(delivery: Delivery, first: FirstAttempt = { copies: 1 }): Promise<void> {
    const attempts = await Promise.all(
      Array.from({ length: first.copies }, () => this.post(delivery, first.corruption)),
    );
    delivery.view.attempts.push(...attempts);
    // A reset or stop while the request was out: the delivery is no longer the sandbox's business.
    if (this.stopped || this.deliveries.get(delivery.view.id) !== delivery || delivery.view.delivered) return;
    if (attempts.some(isAccepted)) {
      this.markDelivered(delivery);
      return;
    }
    const waitS = NOTIFY_RETRY_SCHEDULE_S[delivery.retries];
    if (waitS === undefined) {
      delivery.view.status = 'gave_up';
      return;
    }
    delivery.retries += 1;
    this.later(delivery, waitS * 1000 * this.options.retryScale, () => this.deliver(delivery));
  }

  private markDelivered(delivery: Delivery): void {
    delivery.view.delivered = true;
    delivery.view.status = 'delivered';
  }

  private async post(delivery: Delivery, corruption?: NotificationCorruption): Promise<NotificationAttempt> {
    const body = corruption === 'ciphertext' ? tamperedBody(delivery.envelope) : delivery.view.body;
    const at = this.clock.now();
    const controller = new AbortController();
    this.aborts.add(controller);
    const timer = setTimeout(() => controller.abort(TIMEOUT), this.options.timeoutMs);
    const marker = corruption === undefined ? {} : { corrupted: corruption };
    try {
      const response = await fetch(delivery.view.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...this.signatureHeaders(body, corruption) },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // Read the answer under the same timeout: WeChat waits for the whole response.
      await response.arrayBuffer();
      return { at, status: response.status, ...marker };
    } catch (error) {
      const timedOut = controller.signal.reason === TIMEOUT;
      return { at, error: timedOut ? 'timeout' : connectionError(error), ...marker };
    } finally {
      clearTimeout(timer);
      this.aborts.delete(controller);
    }
  }

  private signatureHeaders(body: string, corruption: NotificationCorruption | undefined): Record<string, string> {
    const timestamp = this.clock.nowSeconds() - (corruption === 'timestamp' ? STALE_TIMESTAMP_S : 0);
    const headers = wechatpaySignatureHeaders(this.keys, timestamp, body);
    if (corruption === 'signature') {
      // A real signature, of another message: well-formed, but it does not verify.
      headers['Wechatpay-Signature'] = rsaSign(
        this.keys.platformPrivateKeyPem,
        wechatpaySignMessage(String(timestamp), randomHex(16), body),
      );
    }
    if (corruption === 'serial') headers['Wechatpay-Serial'] = `PUB_KEY_ID_01${randomDigits(24)}`;
    return headers;
  }

  private later(delivery: Delivery, ms: number, run: () => Promise<void>): void {
    delivery.timer = setTimeout(() => {
      delivery.timer = undefined;
      this.track(run());
    }, ms);
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
  }
}

/** WeChat counts a notification delivered only on 200 or 204. */
function isAccepted(attempt: NotificationAttempt): boolean {
  return attempt.status === 200 || attempt.status === 204;
}

/** The same envelope with one byte of the ciphertext flipped: signed consistently, but decryption fails. */
function tamperedBody(envelope: Delivery['envelope']): string {
  const sealed = Buffer.from(String(envelope.resource.ciphertext), 'base64');
  sealed[0] = (sealed[0] ?? 0) ^ 0xff;
  return JSON.stringify({ ...envelope, resource: { ...envelope.resource, ciphertext: sealed.toString('base64') } });
}

function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : 'connection failed');
}

function copyView(view: PayNotification): PayNotification {
  return { ...view, attempts: view.attempts.map((attempt) => ({ ...attempt })) };
}
