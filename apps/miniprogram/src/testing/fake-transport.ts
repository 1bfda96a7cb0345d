import type { HttpRequest, HttpResponse, Transport } from '../api/transport';

type Handler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** A transport that answers from a table of `METHOD url` handlers and records every request it saw. */
export function fakeTransport(routes: Record<string, Handler>) {
  const requests: HttpRequest[] = [];
  const transport: Transport = async (request) => {
    requests.push(request);
    const handler = routes[`${request.method} ${request.url}`];
    if (!handler) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return handler(request);
  };
  return { transport, requests };
}

export const ok = (data: unknown): HttpResponse => ({ status: 200, data });

export const fail = (status: number, code: string, message = code, details?: unknown): HttpResponse => ({
  status,
  data: { error: { code, message, details } },
});
