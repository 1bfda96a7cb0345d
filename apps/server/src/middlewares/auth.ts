// requireMember / requireOwner: read the bearer token, verify it, and put the principal on ctx.state.
import type { Middleware } from 'koa';
import { errors } from '../errors';
import type { Principal, TokenService } from '../modules/auth/tokens';

declare module 'koa' {
  interface DefaultState {
    principal?: Principal;
    input?: unknown;
  }
}

function bearer(header: string): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

function requireKind(tokens: TokenService, kind: Principal['kind']): Middleware {
  return async (ctx, next) => {
    const token = bearer(ctx.get('authorization'));
    if (!token) throw errors.unauthenticated();
    const principal = await tokens.verify(token);
    if (principal.kind !== kind) throw errors.forbidden();
    ctx.state.principal = principal;
    await next();
  };
}

export const requireMember = (tokens: TokenService) => requireKind(tokens, 'member');
export const requireOwner = (tokens: TokenService) => requireKind(tokens, 'owner');

export function memberIdOf(ctx: { state: { principal?: Principal } }): string {
  const p = ctx.state.principal;
  if (p?.kind !== 'member') throw errors.unauthenticated();
  return p.memberId;
}

export function ownerIdOf(ctx: { state: { principal?: Principal } }): string {
  const p = ctx.state.principal;
  if (p?.kind !== 'owner') throw errors.unauthenticated();
  return p.ownerId;
}
