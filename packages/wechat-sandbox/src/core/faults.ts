export interface FailureInput {
  api: string;
  /** The errcode to answer; for WeChat Pay APIs, the HTTP status (e.g. 500). */
  errcode: number;
  /** The errmsg; for WeChat Pay APIs, the message. Default: WeChat's text for the code. */
  errmsg?: string;
  /** WeChat Pay APIs only: the error code, e.g. SYSTEM_ERROR (the default for a 5xx status). */
  code?: string;
  /** How many of the next calls fail; 1 when not given. */
  count?: number;
}

/** An injected failure; each API family renders it in its own wire format. */
export interface InjectedFailure {
  errcode: number;
  errmsg?: string;
  code?: string;
}

interface PendingFailure extends InjectedFailure {
  remaining: number;
}

/** Injected failures and latency, per api: the next `count` calls answer `errcode` instead of working. */
export class Faults {
  private readonly failures = new Map<string, PendingFailure[]>();
  private readonly latencyMs = new Map<string, number>();

  injectFailure(input: FailureInput): void {
    const queue = this.failures.get(input.api) ?? [];
    queue.push({ errcode: input.errcode, errmsg: input.errmsg, code: input.code, remaining: input.count ?? 1 });
    this.failures.set(input.api, queue);
  }

  /** Takes one injected failure for `api`, if any is pending. */
  takeFailure(api: string): InjectedFailure | undefined {
    const queue = this.failures.get(api);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    return { errcode: next.errcode, errmsg: next.errmsg, code: next.code };
  }

  pendingFailures(): Array<{ api: string; errcode: number; remaining: number }> {
    return [...this.failures].flatMap(([api, queue]) =>
      queue.map((failure) => ({ api, errcode: failure.errcode, remaining: failure.remaining })),
    );
  }

  setLatency(api: string, ms: number): void {
    if (ms > 0) this.latencyMs.set(api, ms);
    else this.latencyMs.delete(api);
  }

  latency(api: string): number {
    return this.latencyMs.get(api) ?? 0;
  }

  reset(): void {
    this.failures.clear();
    this.latencyMs.clear();
  }
}
