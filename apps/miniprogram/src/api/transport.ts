export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON when the body was JSON; otherwise whatever the platform gives (null, text). */
  data: unknown;
}

/** Sends one request; rejects only when no HTTP response arrived (offline, DNS, timeout, CORS). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;
