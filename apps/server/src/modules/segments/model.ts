// Saved segments: a name and a definition (what members it means), with the count found the last time it was
// counted. Members are never stored with a segment: they are found when asked for, so a segment is always current.
import type { SegmentDefinition } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface SegmentDoc {
  _id: Types.ObjectId;
  name: string;
  description: string;
  definition: SegmentDefinition;
  count: number | null;
  countedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const SegmentSchema = new Schema<SegmentDoc>(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    definition: { type: Schema.Types.Mixed, required: true },
    count: { type: Number, default: null },
    countedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
SegmentSchema.index({ name: 1 }, { unique: true });

export function segmentModel(conn: Connection): Model<SegmentDoc> {
  return (
    (conn.models.Segment as Model<SegmentDoc> | undefined) ??
    conn.model<SegmentDoc>('Segment', SegmentSchema, 'segments')
  );
}
