// Sends the fuzz test's requests byte for byte (node:http, not fetch, which would normalise paths and refuse odd
// methods) with the principal's credentials, and checks each answer: never a 5xx, and every error in the one shape.
import { Agent, request as httpRequest } from 'node:http';
import { ErrorCodes, WalletPaths } from '@member-hub/shared';
import type { FuzzRequest } from './fuzzRoutes';
import { type FuzzWorld, type Principal, posHeaders, tokenOf } from './fuzzWorld';

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function closeFuzzAgent(): void {
  agent.destroy();
}

function tamper(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return `Bearer ${token.slice(0, -1)}${last}`;
}

/** The headers as sent: credentials of the principal (or the mutation's replacement), then the request's own. */
export function headersFor(world: FuzzWorld, req: FuzzRequest, principal: Principal): Record<string, string> {
  const headers: Record<string, string> = {};
  if (principal === 'pos') {
    const body = req.body === undefined ? '' : req.body.toString();
    Object.assign(headers, posHeaders(world, req.method, req.path, body), req.posOverrides);
  } else if (principal !== 'anonymous') {
    const token = tokenOf(world, principal);
    headers.authorization = req.tamper ? tamper(token) : `Bearer ${token}`;
  }
  if (req.authorization !== undefined) headers.authorization = req.authorization;
  return { ...headers, ...req.headers };
}

export function send(world: FuzzWorld, req: FuzzRequest, principal: Principal): Promise<FuzzResponse> {
  const url = new URL(world.hub.url);
  const headers = headersFor(world, req, principal);
  // Node's client sends a GET body with neither length nor chunking unless told the length.
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { agent, host: url.hostname, port: url.port, method: req.method, path: req.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

// WeChat Pay's notification endpoints answer in WeChat's protocol ({code:'FAIL', message}), not our error shape.
const WECHAT_PROTOCOL_PATHS = new Set<string>([WalletPaths.payNotify, WalletPaths.refundNotify]);

/** What is wrong with an answer, or null: a 5xx, or an error that is not {error:{code,message,details?}}. */
export function problemOf(req: FuzzRequest, res: FuzzResponse): string | null {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status < 400 || req.method === 'HEAD') return null;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `answered ${res.status} with a body that is not JSON`;
  }
  // (What the body parser refuses before the handler runs still has our shape.)
  if (WECHAT_PROTOCOL_PATHS.has(req.path.split('?')[0] ?? '') && (body as { code?: unknown })?.code === 'FAIL')
    return null;
  if (!res.contentType.startsWith('application/json')) return `answered ${res.status} as ${res.contentType}`;
  const outer = body as { error?: Record<string, unknown> };
  if (!outer || typeof outer !== 'object' || Object.keys(outer).join() !== 'error' || !outer.error)
    return `answered ${res.status} without the error shape`;
  const { code, message, ...rest } = outer.error;
  const extra = Object.keys(rest).filter((k) => k !== 'details');
  if (extra.length) return `the error has keys beyond code, message, details: ${extra.join()}`;
  if (typeof code !== 'string' || !(code in ErrorCodes)) return `unknown error code ${String(code)}`;
  if (typeof message !== 'string' || !message) return `error ${code} has no message`;
  const expected = ErrorCodes[code as keyof typeof ErrorCodes].status;
  if (expected !== res.status) return `error ${code} came with ${res.status}, not its ${expected}`;
  return null;
}

/** The request as a short, replayable description for the report (credentials left out, long parts cut). */
export function describeRequest(req: FuzzRequest, principal: Principal, res?: FuzzResponse): string {
  const cut = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  const body =
    req.body === undefined ? '' : cut(Buffer.isBuffer(req.body) ? `<bytes ${req.body.toString('hex')}>` : req.body);
  const lines = [
    `${req.kind} (${req.mutation}) as ${principal}: ${req.method} ${cut(req.path, 300)}`,
    Object.keys(req.headers).length ? `  headers ${cut(JSON.stringify(req.headers), 300)}` : '',
    req.authorization ? `  authorization ${cut(req.authorization, 80)}` : '',
    req.tamper ? '  authorization: the token with its signature spoiled' : '',
    req.posOverrides ? `  POS headers ${JSON.stringify(req.posOverrides)}` : '',
    body ? `  body ${body}` : '',
    res ? `  -> ${res.status} ${cut(res.text, 300)}` : '',
  ];
  return lines.filter(Boolean).join('\n');
}
