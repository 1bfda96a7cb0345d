// Validation of a whole file against a mapping: each mapped cell through its field rule, then the checks that need
// the file as a whole (a phone or an external id seen on an earlier row). Deterministic for the same file, mapping
// and tiers, so the job can run it again from the top on every resume and reach the same verdicts.

import type { ImportFormat } from '@member-hub/shared';
import {
  type ImportField,
  ImportField as ImportFields,
  type ImportIssue,
  type ImportMapping,
  ImportReasons,
} from '@member-hub/shared';
import { AppError } from '../../errors';
import { maskPhone } from '../../lib/personalData';
import { dataRows, type SheetRow } from './reader';
import { FIELD_RULES, type FieldValues, type ImportRow, type RuleContext } from './rules';

export type CheckedRow =
  | { row: number; good: true; value: ImportRow }
  | { row: number; good: false; issues: ImportIssue[] };

/** A mapping must name an identity column, and point at columns the header has, each used once. */
export function checkMapping(mapping: ImportMapping, header: string[]): void {
  const problems: { path: string; message: string }[] = [];
  const used = new Map<number, ImportField>();
  for (const field of ImportFields.options) {
    const column = mapping.columns[field];
    if (column === undefined) continue;
    if (column >= header.length)
      problems.push({ path: `columns.${field}`, message: `第 ${column + 1} 列不存在（文件共 ${header.length} 列）` });
    const other = used.get(column);
    if (other) problems.push({ path: `columns.${field}`, message: `与“${other}”映射到了同一列` });
    used.set(column, field);
  }
  if (mapping.columns.phone === undefined && mapping.columns.externalId === undefined)
    problems.push({ path: 'columns', message: '请至少映射“手机号”或“外部会员编号”中的一列' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', undefined, problems);
}

/** What a report shows of a cell: phones masked (the report is read by more people than the file). */
function shown(field: ImportField, text: string): string {
  const value = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return field === 'phone' ? maskPhone(value.replace(/\s/g, '')) : value;
}

export class RowChecker {
  private readonly firstRowOfPhone = new Map<string, number>();
  private readonly firstRowOfExternal = new Map<string, number>();

  constructor(
    private readonly mapping: ImportMapping,
    private readonly header: string[],
    private readonly ctx: RuleContext,
  ) {}

  check({ row, cells }: SheetRow): CheckedRow {
    const issues: ImportIssue[] = [];
    const values: Record<string, unknown> = {};
    const issue = (field: ImportField | null, text: string, reason: string) => {
      const column = field === null ? undefined : this.mapping.columns[field];
      issues.push({
        row,
        column: field,
        columnName: column === undefined ? null : (this.header[column] ?? null),
        value: field === null ? '' : shown(field, text),
        reason,
      });
    };
    for (const rule of FIELD_RULES) {
      const column = this.mapping.columns[rule.field];
      const text = column === undefined ? '' : (cells[column] ?? '').trim();
      if (text === '') {
        values[rule.field] = rule.empty;
        continue;
      }
      const outcome = rule.parse(text, this.ctx);
      if ('reason' in outcome) issue(rule.field, text, outcome.reason);
      else values[rule.field] = outcome.value;
    }
    const v = values as FieldValues;
    const phoneText = cells[this.mapping.columns.phone ?? -1]?.trim() ?? '';
    const externalText = cells[this.mapping.columns.externalId ?? -1]?.trim() ?? '';
    if (!phoneText && !externalText) issue(null, '', ImportReasons.identityMissing);
    // Only valid values can repeat; the first row with a value keeps it, later ones are reported against it.
    if (v.phone) {
      const first = this.firstRowOfPhone.get(v.phone);
      if (first === undefined) this.firstRowOfPhone.set(v.phone, row);
      else issue('phone', phoneText, ImportReasons.duplicatePhone(first));
    }
    if (v.externalId) {
      const first = this.firstRowOfExternal.get(v.externalId);
      if (first === undefined) this.firstRowOfExternal.set(v.externalId, row);
      else issue('externalId', externalText, ImportReasons.duplicateExternalId(first));
    }
    if (issues.length) return { row, good: false, issues };
    return {
      row,
      good: true,
      value: {
        row,
        phone: v.phone,
        name: v.name,
        birthday: v.birthday,
        points: v.points,
        balanceFen: v.balance,
        tier: v.tier,
        externalId: v.externalId,
      },
    };
  }
}

/** Every data row of the file, checked, in order. */
export async function* checkedRows(
  bytes: Buffer,
  format: ImportFormat,
  mapping: ImportMapping,
  ctx: RuleContext,
): AsyncGenerator<CheckedRow> {
  let checker: RowChecker | null = null;
  for await (const { header, row } of dataRows(bytes, format)) {
    checker ??= new RowChecker(mapping, header, ctx);
    yield checker.check(row);
  }
}
