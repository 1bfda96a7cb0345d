export interface FailureInput {
  api: string;
  /** The errcode to answer; for WeChat Pay APIs, the HTTP status (e.g. 500). Give this or `status`. */
  errcode?: number;
  /**
   * WeChat APIs only: answer this HTTP status (500-599) with a gateway's HTML page instead of an errcode, as
   * WeChat's front end does when the service behind it is down. Give this or `errcode`.
   */
  status?: number;
  /** The errmsg; for WeChat Pay APIs, the message. Default: WeChat's text for the code. */
  errmsg?: string;
  /** WeChat Pay APIs only: the error code, e.g. SYSTEM_ERROR (the default for a 5xx status). */
  code?: string;
  /** How many of the next calls fail; 1 when not given. */
  count?: number;
}

/** An injected failure; each API family renders it in its own wire format. */
export interface InjectedFailure {
  /** For an HTTP-status failure, the status (what the call log shows). */
  errcode: number;
  errmsg?: string;
  code?: string;
  /** WeChat APIs: answer this HTTP status instead of an errcode. */
  status?: number;
}

interface PendingFailure extends InjectedFailure {
  remaining: number;
}

/** What `/failures` lists: an HTTP-status failure shows its status as both errcode and status. */
export interface PendingFailureSummary {
  api: string;
  errcode: number;
  status?: number;
  remaining: number;
}

/** Injected failures and latency, per api: the next `count` calls answer `errcode` instead of working. */
export class Faults {
  private readonly failures = new Map<string, PendingFailure[]>();
  private readonly latencyMs = new Map<string, number>();

  /** The control layer has checked the input against the api's wire format (errcode or status, ranges). */
  injectFailure(api: string, failure: InjectedFailure, count = 1): void {
    const queue = this.failures.get(api) ?? [];
    queue.push({ ...failure, remaining: count });
    this.failures.set(api, queue);
  }

  /** Takes one injected failure for `api`, if any is pending. */
  takeFailure(api: string): InjectedFailure | undefined {
    const queue = this.failures.get(api);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    return { errcode: next.errcode, errmsg: next.errmsg, code: next.code, status: next.status };
  }

  pendingFailures(): PendingFailureSummary[] {
    return [...this.failures].flatMap(([api, queue]) =>
      queue.map((failure) => ({
        api,
        errcode: failure.errcode,
        ...(failure.status === undefined ? {} : { status: failure.status }),
        remaining: failure.remaining,
      })),
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
