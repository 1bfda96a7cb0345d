import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface Actor {
  kind: 'owner' | 'staff' | 'member' | 'system';
  id: string;
  name: string | null;
}

export interface AuditRecord {
  _id: Types.ObjectId;
  at: Date;
  actor: Actor;
  action: string;
  memberId: Types.ObjectId | null;
  storeId: Types.ObjectId | null;
  ip: string | null;
  details: Record<string, unknown>;
  /** Set by flows that may be retried, so a retry does not write a second record. */
  dedupeKey?: string;
}

const AuditSchema = new Schema<AuditRecord>(
  {
    at: { type: Date, required: true },
    actor: { type: new Schema({ kind: String, id: String, name: String }, { _id: false }), required: true },
    action: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, default: null },
    storeId: { type: Schema.Types.ObjectId, default: null },
    ip: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    dedupeKey: { type: String },
  },
  { versionKey: false },
);
AuditSchema.index({ at: -1 });
AuditSchema.index({ memberId: 1, at: -1 });
AuditSchema.index({ storeId: 1, at: -1 });
AuditSchema.index({ dedupeKey: 1 }, { unique: true, partialFilterExpression: { dedupeKey: { $type: 'string' } } });

export function auditModel(conn: Connection): Model<AuditRecord> {
  return (
    (conn.models.AuditRecord as Model<AuditRecord> | undefined) ??
    conn.model<AuditRecord>('AuditRecord', AuditSchema, 'audit_log')
  );
}
