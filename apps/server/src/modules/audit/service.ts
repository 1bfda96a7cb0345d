// Who did what, when, from where. Every staff/owner read of a member's personal data and every change lands here.
import { type Connection, Types } from 'mongoose';
import { GroupCommit, insertErrors } from '../../lib/groupCommit';
import { type Actor, type AuditRecord, auditModel } from './model';

export interface AuditInput {
  actor: Actor;
  action: string;
  memberId?: Types.ObjectId | string | null;
  storeId?: Types.ObjectId | string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  dedupeKey?: string;
}

const toId = (id: Types.ObjectId | string | null | undefined) =>
  id == null ? null : typeof id === 'string' ? new Types.ObjectId(id) : id;

export class AuditService {
  /** Records from concurrent requests share one insert; a duplicate is fine only for a record with a dedupe key. */
  private readonly writer = new GroupCommit<AuditRecord>(async (docs) => {
    try {
      await auditModel(this.conn).collection.insertMany(docs, { ordered: false });
      return undefined;
    } catch (err) {
      return insertErrors(err, docs.length, (i) => docs[i]?.dedupeKey !== undefined);
    }
  });

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  async record(input: AuditInput): Promise<void> {
    const doc: AuditRecord = {
      _id: new Types.ObjectId(),
      at: new Date(this.now()),
      actor: input.actor,
      action: input.action,
      memberId: toId(input.memberId),
      storeId: toId(input.storeId),
      ip: input.ip ?? null,
      details: input.details ?? {},
      ...(input.dedupeKey && { dedupeKey: input.dedupeKey }),
    };
    // A retried flow recording the same event again (same dedupe key): the first record stands.
    await this.writer.submit(doc);
  }

  async list(filter: {
    memberId?: string;
    action?: string;
    storeId?: string;
    after?: string;
    limit: number;
  }): Promise<AuditRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.memberId) query.memberId = new Types.ObjectId(filter.memberId);
    if (filter.storeId) query.storeId = new Types.ObjectId(filter.storeId);
    if (filter.action) query.action = filter.action;
    if (filter.after && Types.ObjectId.isValid(filter.after)) query._id = { $lt: new Types.ObjectId(filter.after) };
    return auditModel(this.conn).find(query).sort({ _id: -1 }).limit(filter.limit).lean<AuditRecord[]>();
  }
}
