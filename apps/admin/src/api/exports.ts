// The owner's CSV exports (streamed by the server, UTF-8 with BOM for Excel): members with their filters, a points or
// stored-value ledger over a date range, and the RFM members and churn warnings of the current run. Phones are
// masked unless `phone=full` is asked by an owner with the export-personal-data permission (403 otherwise).
import { ExportPaths, type LedgerExportQuery, type MemberExportQuery, type RfmExportQuery } from '@member-hub/shared';
import { apiDownload, type Download } from '../api';
import { buildQuery } from './query';

export type MemberExportParams = Partial<MemberExportQuery>;
export type LedgerExportParams = Partial<LedgerExportQuery>;
export type RfmExportParams = RfmExportQuery;

export function memberExportPath({ tier, joinedFrom, joinedTo, phone }: MemberExportParams): string {
  return `${ExportPaths.members}${buildQuery({ tier, joinedFrom, joinedTo, phone })}`;
}

export function ledgerExportPath({ account, from, to, memberNo }: LedgerExportParams): string {
  return `${ExportPaths.ledger}${buildQuery({ account, from, to, memberNo })}`;
}

export function rfmExportPath(list: 'rfm' | 'churn', { class: rfmClass }: RfmExportParams): string {
  return `${ExportPaths[list]}${buildQuery({ class: rfmClass })}`;
}

export function exportMembers(token: string, params: MemberExportParams): Promise<Download> {
  return apiDownload(memberExportPath(params), token);
}

export function exportLedger(token: string, params: LedgerExportParams): Promise<Download> {
  return apiDownload(ledgerExportPath(params), token);
}

/** The scored members (`rfm`) or the churn warnings (`churn`), optionally of one class. */
export function exportRfmList(token: string, list: 'rfm' | 'churn', params: RfmExportParams): Promise<Download> {
  return apiDownload(rfmExportPath(list, params), token);
}
