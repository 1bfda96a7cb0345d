import { type OwnerPermission, OwnerPermission as OwnerPermissions } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { errors } from '../../errors';
import { hashPassword, verifyPassword } from '../../lib/password';
import { type Owner, ownerModel } from './model';

/** A fixed hash to compare against when the username is unknown, so timing does not reveal which usernames exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class OwnerService {
  constructor(private readonly conn: Connection) {}

  async login(username: string, password: string): Promise<Owner> {
    const owner = await ownerModel(this.conn).findOne({ username }).lean<Owner>();
    const ok = await verifyPassword(password, owner?.passwordHash ?? DUMMY_HASH);
    if (!owner || !ok) throw errors.invalidCredentials();
    return owner;
  }

  /**
   * Creates the owner, or resets its password when it exists (the CLI's documented behaviour). `grant` adds
   * permissions; existing ones are kept, and a new owner has none unless granted.
   */
  async upsertOwner(username: string, password: string, grant: OwnerPermission[] = []): Promise<{ created: boolean }> {
    const passwordHash = await hashPassword(password);
    const result = await ownerModel(this.conn).updateOne(
      { username },
      { $set: { passwordHash }, $addToSet: { permissions: { $each: grant } } },
      { upsert: true },
    );
    return { created: result.upsertedCount === 1 };
  }

  /** First start: create the configured owner if no owner exists yet; never overwrites a changed password. */
  async ensureBootstrapOwner(credentials: { username: string; password: string } | null): Promise<boolean> {
    if (!credentials) return false;
    const Owners = ownerModel(this.conn);
    if ((await Owners.estimatedDocumentCount()) > 0) return false;
    try {
      // The shop's first owner holds every permission; owners added later get them only when granted.
      await Owners.create({
        username: credentials.username,
        passwordHash: await hashPassword(credentials.password),
        permissions: [...OwnerPermissions.options],
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false; // another server copy created it first
      throw err;
    }
  }

  count(): Promise<number> {
    return ownerModel(this.conn).countDocuments();
  }
}
