/** One call to a WeChat API, as the control API shows it. Holds no secrets, codes or phone numbers. */
export interface CallRecord {
  seq: number;
  api: string;
  appid?: string;
  /** 0 on success; for WeChat Pay APIs and injected HTTP-status failures, the HTTP status of a failure. */
  errcode?: number;
  /** WeChat Pay APIs: the error code of a failure, e.g. ORDERPAID. */
  code?: string;
  startedAt: number;
  finishedAt?: number;
  /** Calls to the same api in flight when this one started, itself included. */
  inFlight: number;
}

export interface CallSummary {
  calls: CallRecord[];
  /** Most calls of the api (or of all apis) in flight at once. */
  maxInFlight: number;
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;
  private readonly inFlight = new Map<string, number>();

  start(api: string, startedAt: number): CallRecord {
    const inFlight = (this.inFlight.get(api) ?? 0) + 1;
    this.inFlight.set(api, inFlight);
    const record: CallRecord = { seq: ++this.seq, api, startedAt, inFlight };
    this.records.push(record);
    return record;
  }

  finish(record: CallRecord, errcode: number, finishedAt: number, code?: string): void {
    record.errcode = errcode;
    if (code !== undefined) record.code = code;
    record.finishedAt = finishedAt;
    this.inFlight.set(record.api, (this.inFlight.get(record.api) ?? 1) - 1);
  }

  summary(api?: string): CallSummary {
    const calls = this.records.filter((record) => api === undefined || record.api === api).map((r) => ({ ...r }));
    return { calls, maxInFlight: Math.max(0, ...calls.map((call) => call.inFlight)) };
  }

  reset(): void {
    this.records = [];
    this.seq = 0;
    this.inFlight.clear();
  }
}
