// authenticate: a bearer token, if present, becomes ctx.state.principal, with role and store read fresh from the
// database (a disabled account or a changed role takes effect at once; a merged member's token follows the
// survivor). authorize(action): the policy table decides; 401 without a principal, 403 when it says no.
import type { Middleware } from 'koa';
import { Types } from 'mongoose';
import type { AppDeps } from '../deps';
import { AppError, errors } from '../errors';
import { resolveSurvivor } from '../flows/mergeMembers';
import { type Action, assertCan, type Principal, type Resource } from '../modules/auth/policy';
import type { Member } from '../modules/members/model';
import { ownerModel } from '../modules/owners/model';

declare module 'koa' {
  interface DefaultState {
    principal?: Principal;
    /** The member a member token names, as read while authenticating (saves handlers a second read). */
    member?: Member;
    input?: unknown;
  }
}

function bearer(header: string): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? null;
}

async function principalFor(deps: AppDeps, token: string): Promise<{ principal: Principal; member?: Member }> {
  const subject = await deps.tokens.verify(token);
  const id = new Types.ObjectId(subject.id);
  switch (subject.kind) {
    case 'member': {
      const member = await resolveSurvivor(deps.conn, id);
      if (!member || member.status === 'deleted') throw errors.tokenInvalid();
      return { principal: { kind: 'member', memberId: member._id.toHexString() }, member };
    }
    case 'staff': {
      const staff = await deps.staff.authView(subject.id);
      if (!staff) throw errors.tokenInvalid();
      if (!staff.active) throw new AppError('ACCOUNT_DISABLED');
      return {
        principal: {
          kind: 'staff',
          staffId: subject.id,
          storeId: staff.storeId.toHexString(),
          role: staff.role,
          name: staff.name,
        },
      };
    }
    case 'owner': {
      const owner = await ownerModel(deps.conn).findById(id, { username: 1, permissions: 1 }).lean();
      if (!owner) throw errors.tokenInvalid();
      // Permissions are read fresh like staff roles: a revoked one takes effect at once.
      const permissions = owner.permissions ?? [];
      return { principal: { kind: 'owner', ownerId: subject.id, name: owner.username, permissions } };
    }
  }
}

export function authenticate(deps: AppDeps): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const token = bearer(header);
      if (!token) throw errors.tokenInvalid();
      const { principal, member } = await principalFor(deps, token);
      ctx.state.principal = principal;
      ctx.state.member = member;
    }
    await next();
  };
}

/** Route guard for actions whose resource is known up front (or has none); handlers call assertCan otherwise. */
export function authorize(action: Action, resourceOf?: (ctx: Parameters<Middleware>[0]) => Resource): Middleware {
  return async (ctx, next) => {
    assertCan(ctx.state.principal, action, resourceOf?.(ctx) ?? {});
    await next();
  };
}

export function principalOf(ctx: { state: { principal?: Principal } }): Principal {
  const p = ctx.state.principal;
  if (!p) throw errors.unauthenticated();
  return p;
}

export function memberIdOf(ctx: { state: { principal?: Principal } }): Types.ObjectId {
  const p = principalOf(ctx);
  if (p.kind !== 'member') throw errors.forbidden();
  return new Types.ObjectId(p.memberId);
}

/** The member the request's token names, read once during authentication. */
export function memberOf(ctx: { state: { principal?: Principal; member?: Member } }): Member {
  const member = ctx.state.member;
  if (ctx.state.principal?.kind !== 'member' || !member) throw errors.forbidden();
  return member;
}

export function staffOf(ctx: { state: { principal?: Principal } }): Extract<Principal, { kind: 'staff' }> {
  const p = principalOf(ctx);
  if (p.kind !== 'staff') throw errors.forbidden();
  return p;
}

/** The audit actor for the principal. */
export function actorOf(ctx: { state: { principal?: Principal } }) {
  const p = principalOf(ctx);
  if (p.kind === 'member') return { kind: 'member' as const, id: p.memberId, name: null };
  if (p.kind === 'staff') return { kind: 'staff' as const, id: p.staffId, name: p.name };
  return { kind: 'owner' as const, id: p.ownerId, name: p.name };
}
