import { randomInt } from 'node:crypto';
import type {
  AcceptInviteRequest,
  CreateStaffRequest,
  StaffAccount,
  StaffRole,
  UpdateStaffRequest,
} from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { BatchedReads } from '../../lib/groupCommit';
import { hashPassword, verifyPassword } from '../../lib/password';
import type { StoreService } from '../stores/service';
import { type StaffDoc, type StaffInviteDoc, staffInviteModel, staffModel } from './model';

/** Unambiguous characters only: an invite code is read aloud and typed on a phone. */
const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function presentStaff(s: StaffDoc): StaffAccount {
  return {
    id: s._id.toHexString(),
    name: s.name,
    username: s.username,
    role: s.role,
    storeId: s.storeId.toHexString(),
    active: s.active,
  };
}

const usernameTaken = (err: unknown) => {
  if ((err as { code?: number }).code === 11000) return new AppError('USERNAME_TAKEN');
  return err;
};

export type StaffAuthView = Pick<StaffDoc, '_id' | 'storeId' | 'role' | 'name' | 'active'>;

export class StaffService {
  /** Every staff request reads its account: concurrent ones share one `$in` query. */
  private readonly authViews = new BatchedReads<StaffAuthView>(async (ids) => {
    const docs = (await staffModel(this.conn)
      .collection.find(
        { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
        { projection: { storeId: 1, role: 1, name: 1, active: 1 } },
      )
      .toArray()) as StaffAuthView[];
    return new Map(docs.map((d) => [d._id.toHexString(), d]));
  });

  constructor(
    private readonly conn: Connection,
    private readonly stores: StoreService,
    private readonly inviteTtlHours: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** What authentication needs of a staff account, read fresh (a disabled account is refused at once). */
  authView(id: string): Promise<StaffAuthView | null> {
    return this.authViews.load(id);
  }

  list(storeId?: string): Promise<StaffDoc[]> {
    const filter = storeId ? { storeId: new Types.ObjectId(storeId) } : {};
    return staffModel(this.conn).find(filter).sort({ createdAt: 1 }).lean<StaffDoc[]>();
  }

  async get(id: string): Promise<StaffDoc> {
    const staff = Types.ObjectId.isValid(id) ? await staffModel(this.conn).findById(id).lean<StaffDoc>() : null;
    if (!staff) throw new AppError('NOT_FOUND', undefined, { resource: 'staff' });
    return staff;
  }

  async create(input: CreateStaffRequest): Promise<StaffDoc> {
    await this.stores.get(input.storeId);
    const { password, ...rest } = input;
    try {
      return (await staffModel(this.conn).create({ ...rest, passwordHash: await hashPassword(password) })).toObject();
    } catch (err) {
      throw usernameTaken(err);
    }
  }

  async update(id: string, input: UpdateStaffRequest): Promise<StaffDoc> {
    await this.get(id);
    const { password, ...rest } = input;
    const set: Record<string, unknown> = { ...rest };
    if (password) set.passwordHash = await hashPassword(password);
    const updated = await staffModel(this.conn)
      .findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' })
      .lean<StaffDoc>();
    if (!updated) throw new AppError('NOT_FOUND', undefined, { resource: 'staff' });
    return updated;
  }

  async login(username: string, password: string): Promise<StaffDoc> {
    const staff = await staffModel(this.conn).findOne({ username }).lean<StaffDoc>();
    const ok = await verifyPassword(password, staff?.passwordHash ?? DUMMY_HASH);
    if (!staff || !ok) throw new AppError('INVALID_CREDENTIALS');
    if (!staff.active) throw new AppError('ACCOUNT_DISABLED');
    return staff;
  }

  async createInvite(storeId: string, role: StaffRole, createdBy: string): Promise<StaffInviteDoc> {
    await this.stores.get(storeId);
    const code = Array.from({ length: 10 }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
    const expiresAt = new Date(this.now() + this.inviteTtlHours * 3600_000);
    return (
      await staffInviteModel(this.conn).create({
        code,
        storeId: new Types.ObjectId(storeId),
        role,
        expiresAt,
        createdBy,
      })
    ).toObject();
  }

  /** Redeems an invite exactly once: the claim is a conditional update, so two phones cannot both use it. */
  async acceptInvite(input: AcceptInviteRequest): Promise<StaffDoc> {
    const Invites = staffInviteModel(this.conn);
    const code = input.inviteCode.toUpperCase();
    const staffId = new Types.ObjectId();
    const invite = await Invites.findOneAndUpdate(
      { code, usedAt: null, expiresAt: { $gt: new Date(this.now()) } },
      { $set: { usedAt: new Date(this.now()), usedBy: staffId } },
      { returnDocument: 'after' },
    ).lean<StaffInviteDoc>();
    if (!invite) throw new AppError('INVITE_INVALID');
    try {
      const created = await staffModel(this.conn).create({
        _id: staffId,
        storeId: invite.storeId,
        name: input.name,
        username: input.username,
        passwordHash: await hashPassword(input.password),
        role: invite.role,
      });
      return created.toObject();
    } catch (err) {
      // Give the invite back so the person can try another username.
      await Invites.updateOne({ _id: invite._id, usedBy: staffId }, { $set: { usedAt: null, usedBy: null } });
      throw usernameTaken(err);
    }
  }
}
