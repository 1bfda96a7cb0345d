// What a member import keeps: the file itself (GridFS, chunked, its id the SHA-256 of the bytes, so any server
// copy can read it after a restart and the same file is stored once), one `member_imports` row per upload with
// its mapping, validation summary and job progress, and the validation report's issues.
import type { ImportFormat, ImportIssue, ImportMapping, ImportState, ImportValidation } from '@member-hub/shared';
import mongoose, { type Connection, type Model, Schema, type Types } from 'mongoose';
import type { Actor } from '../audit/model';

/** What one batch of the job will add to the totals, written before its rows are applied (see jobs/importMembers). */
export interface ImportCounts {
  processed: number;
  created: number;
  linked: number;
  skipped: number;
  bad: number;
  pointsEntered: number;
  fenEntered: number;
}

export const ZERO_COUNTS: ImportCounts = {
  processed: 0,
  created: 0,
  linked: 0,
  skipped: 0,
  bad: 0,
  pointsEntered: 0,
  fenEntered: 0,
};

export interface ImportJobState extends ImportCounts {
  total: number;
  /** The last spreadsheet row whose batch is committed: a resumed job starts after it. */
  cursorRow: number;
  /** The batch being applied: its last row and what it adds. A crash leaves it here and the resume re-applies the
   * same rows (every write is idempotent) and then commits exactly these counts. */
  pending: { toRow: number; counts: ImportCounts } | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  startedBy: Actor | null;
  /** Failed attempts in a row; after a few the import is marked failed instead of retried every minute. */
  attempts: number;
  error: string | null;
}

export interface ImportDoc {
  _id: Types.ObjectId;
  fileName: string;
  format: ImportFormat;
  encoding: 'utf-8' | 'gbk' | null;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  header: string[];
  state: ImportState;
  mapping: ImportMapping | null;
  validation: (Omit<ImportValidation, 'importId' | 'validatedAt'> & { validatedAt: Date }) | null;
  job: ImportJobState;
  createdBy: Actor | null;
  createdAt: Date;
}

export interface ImportIssueDoc extends ImportIssue {
  _id: Types.ObjectId;
  importId: Types.ObjectId;
  /** Order in the report (row, then column). */
  seq: number;
}

const ImportSchema = new Schema<ImportDoc>(
  {
    fileName: { type: String, required: true },
    format: { type: String, required: true },
    encoding: { type: String, default: null },
    sizeBytes: { type: Number, required: true },
    sha256: { type: String, required: true },
    rowCount: { type: Number, required: true },
    header: { type: [String], default: [] },
    state: { type: String, required: true },
    mapping: { type: Schema.Types.Mixed, default: null },
    validation: { type: Schema.Types.Mixed, default: null },
    job: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'member_imports', minimize: false },
);
ImportSchema.index({ createdAt: -1 });
ImportSchema.index({ sha256: 1, createdAt: -1 });
// The job looks for work by state.
ImportSchema.index({ state: 1, createdAt: 1 });

const ImportIssueSchema = new Schema<ImportIssueDoc>(
  {
    importId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    row: { type: Number, required: true },
    column: { type: String, default: null },
    columnName: { type: String, default: null },
    value: { type: String, default: '' },
    reason: { type: String, required: true },
  },
  { versionKey: false, collection: 'member_import_issues' },
);
ImportIssueSchema.index({ importId: 1, seq: 1 }, { unique: true });
ImportIssueSchema.index({ importId: 1, column: 1, seq: 1 });

export function importModels(conn: Connection): { Imports: Model<ImportDoc>; Issues: Model<ImportIssueDoc> } {
  return {
    Imports:
      (conn.models.MemberImport as Model<ImportDoc> | undefined) ?? conn.model<ImportDoc>('MemberImport', ImportSchema),
    Issues:
      (conn.models.MemberImportIssue as Model<ImportIssueDoc> | undefined) ??
      conn.model<ImportIssueDoc>('MemberImportIssue', ImportIssueSchema),
  };
}

/** The uploaded files: GridFS (`import_files.files` / `import_files.chunks`), file id = hex SHA-256. */
export function importFiles(conn: Connection): mongoose.mongo.GridFSBucket {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'import_files', chunkSizeBytes: 1024 * 1024 });
}
