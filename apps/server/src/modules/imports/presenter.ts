// What leaves the server about an import. Job internals (cursor, pending batch, attempts) stay inside.
import type { ImportDetail, ImportIssue, ImportJob, ImportValidation } from '@member-hub/shared';
import type { ImportDoc, ImportIssueDoc } from './model';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentJob(doc: ImportDoc): ImportJob {
  const { job } = doc;
  return {
    importId: doc._id.toHexString(),
    state: doc.state,
    processed: job.processed,
    total: job.total,
    created: job.created,
    linked: job.linked,
    skipped: job.skipped,
    bad: job.bad,
    pointsEntered: job.pointsEntered,
    fenEntered: job.fenEntered,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    error: job.error,
  };
}

export function presentValidation(doc: ImportDoc): ImportValidation | null {
  const v = doc.validation;
  if (!v) return null;
  return {
    importId: doc._id.toHexString(),
    mapping: v.mapping,
    rows: v.rows,
    goodRows: v.goodRows,
    badRows: v.badRows,
    issues: v.issues,
    issuesByColumn: v.issuesByColumn,
    points: v.points,
    balanceFen: v.balanceFen,
    validatedAt: new Date(v.validatedAt).toISOString(),
  };
}

export function presentImport(doc: ImportDoc): ImportDetail {
  return {
    importId: doc._id.toHexString(),
    fileName: doc.fileName,
    format: doc.format,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    rowCount: doc.rowCount,
    header: doc.header,
    state: doc.state,
    mapping: doc.mapping,
    validation: presentValidation(doc),
    job: presentJob(doc),
    createdBy: doc.createdBy?.name ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function presentIssue(issue: ImportIssueDoc): ImportIssue {
  return {
    row: issue.row,
    column: issue.column,
    columnName: issue.columnName,
    value: issue.value,
    reason: issue.reason,
  };
}
