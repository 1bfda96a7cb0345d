// rateLimit(deps, name): the limits of config rateLimits.rules[name], one counter per scope (per IP, per signed-in
// member or staff, per IP + username tried, per open-API store). A request over any of them is refused before the
// handler runs, so it changes nothing: 429 RATE_LIMITED with Retry-After (seconds) and the limit in the details.
// Settings are read on every request; counters live in MongoDB (see lib/rateLimiter.ts), shared by all copies.
import type { Middleware } from 'koa';
import type { AppConfig } from '../config';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { RateLimitRule } from '../lib/rateLimiter';

export type RateLimitName = keyof AppConfig['rateLimits']['rules'];
export type RateLimitScope = 'perIp' | 'perActor' | 'perIpAndUsername' | 'perStore';

type Ctx = Parameters<Middleware>[0];
/** What the caller already verified, for scopes the request alone cannot name (the open API's store). */
interface Known {
  store?: string;
}

// ctx.ip is the socket's address, or X-Forwarded-For's client when app.proxy is on (production, behind the
// load balancer): elsewhere a client cannot pick its own IP by sending the header.
const subjectOf: Record<RateLimitScope, (ctx: Ctx, known: Known) => string | null> = {
  perIp: (ctx) => ctx.ip || null,
  perActor: (ctx) => {
    const p = ctx.state.principal;
    if (!p) return null;
    if (p.kind === 'member') return `member:${p.memberId}`;
    return p.kind === 'staff' ? `staff:${p.staffId}` : `owner:${p.ownerId}`;
  },
  // After validate(): the username being tried, so guessing one account's password is slow without letting a
  // stranger lock its owner out from elsewhere.
  perIpAndUsername: (ctx) => {
    const username = (ctx.state.input as { username?: unknown } | undefined)?.username;
    return typeof username === 'string' ? `${ctx.ip}|${username}` : null;
  },
  perStore: (ctx, known) => known.store ?? ctx.state.openStore?.code ?? null,
};

export async function enforceRateLimit(
  deps: Pick<AppDeps, 'config' | 'rateLimiter'>,
  name: RateLimitName,
  ctx: Ctx,
  known: Known = {},
): Promise<void> {
  const settings = deps.config.rateLimits;
  if (!settings.enabled) return;
  const scopes = Object.entries(settings.rules[name]) as Array<[RateLimitScope, RateLimitRule | null]>;
  const verdicts = await Promise.all(
    scopes.map(async ([scope, rule]) => {
      const subject = rule ? subjectOf[scope](ctx, known) : null;
      if (!rule || !subject) return null;
      const verdict = await deps.rateLimiter.hit(`${name}.${scope}`, subject, rule);
      return verdict.allowed ? null : { scope, rule, retryAfterSeconds: verdict.retryAfterSeconds };
    }),
  );
  const refused = verdicts.filter((v) => v !== null).sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
  if (!refused) return;
  const { scope, rule, retryAfterSeconds } = refused;
  ctx.set('Retry-After', String(retryAfterSeconds));
  ctx.state.log?.warn({ rateLimit: `${name}.${scope}`, retryAfterSeconds }, 'rate limited');
  throw new AppError('RATE_LIMITED', undefined, {
    limit: rule.limit,
    windowSeconds: rule.windowSeconds,
    retryAfterSeconds,
    scope,
  });
}

/** Put it after authorize() (per-actor scopes need the principal) and after validate() for logins. */
export function rateLimit(deps: Pick<AppDeps, 'config' | 'rateLimiter'>, name: RateLimitName): Middleware {
  return async (ctx, next) => {
    await enforceRateLimit(deps, name, ctx);
    await next();
  };
}
