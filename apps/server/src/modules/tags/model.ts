// Tags (the owner's list of them) and tag runs (one per evaluation of the rule tags). Which member has which tag
// is the `tags` array on the member document (see members/model.ts for why).
import type { TagKind, TagRule } from '@member-hub/shared';
import { type Connection, type Model, type mongo, Schema, type Types } from 'mongoose';
import { memberModel } from '../members/model';

export interface TagDoc {
  _id: Types.ObjectId;
  name: string;
  kind: TagKind;
  description: string;
  color: string | null;
  rule: TagRule | null;
  /** Bumped on every rule change; a run records the version it evaluated, so an edit during a run stays pending. */
  ruleVersion: number;
  evaluatedVersion: number | null;
  memberCount: number;
  evaluatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TagRunTagStats {
  tagId: Types.ObjectId;
  name: string;
  memberCount: number;
  added: number;
  removed: number;
}

export interface TagRunDoc {
  _id: string;
  trigger: 'schedule' | 'manual';
  status: 'running' | 'done' | 'failed';
  asOf: Date;
  startedAt: Date;
  finishedAt: Date | null;
  members: number;
  added: number;
  removed: number;
  /** Update statements sent: a re-run over unchanged data sends none. */
  writes: number;
  rfmRunId: string | null;
  tags: TagRunTagStats[];
  ms: number;
  error: string | null;
}

const TagSchema = new Schema<TagDoc>(
  {
    name: { type: String, required: true },
    kind: { type: String, enum: ['manual', 'rule'], required: true },
    description: { type: String, default: '' },
    color: { type: String, default: null },
    rule: { type: Schema.Types.Mixed, default: null },
    ruleVersion: { type: Number, default: 0 },
    evaluatedVersion: { type: Number, default: null },
    memberCount: { type: Number, default: 0 },
    evaluatedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// Owners tell tags apart by name only.
TagSchema.index({ name: 1 }, { unique: true });
TagSchema.index({ kind: 1, createdAt: -1 });

const TagRunSchema = new Schema<TagRunDoc>(
  {
    _id: { type: String, required: true },
    trigger: { type: String, required: true },
    status: { type: String, required: true },
    asOf: { type: Date, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    members: { type: Number, default: 0 },
    added: { type: Number, default: 0 },
    removed: { type: Number, default: 0 },
    writes: { type: Number, default: 0 },
    rfmRunId: { type: String, default: null },
    tags: { type: Schema.Types.Mixed, default: [] },
    ms: { type: Number, default: 0 },
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'tag_runs' },
);
TagRunSchema.index({ startedAt: -1 });

export function tagModels(conn: Connection): { Tags: Model<TagDoc>; TagRuns: Model<TagRunDoc> } {
  return {
    Tags: (conn.models.Tag as Model<TagDoc> | undefined) ?? conn.model<TagDoc>('Tag', TagSchema, 'tags'),
    TagRuns:
      (conn.models.TagRun as Model<TagRunDoc> | undefined) ?? conn.model<TagRunDoc>('TagRun', TagRunSchema, 'tag_runs'),
  };
}

/** The runs through the driver (string ids), for the job's writes. */
export function tagRunsCollection(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return db.collection<TagRunDoc>('tag_runs');
}

/** The member fields tags touch. */
export interface MemberTagFields {
  _id: Types.ObjectId;
  memberNo: string;
  status: string;
  tags: Types.ObjectId[];
}

/** The members collection through the driver, typed for `$addToSet` / `$pull` of tag ids. */
export function memberTagsCollection(conn: Connection): mongo.Collection<MemberTagFields> {
  return memberModel(conn).collection as unknown as mongo.Collection<MemberTagFields>;
}
