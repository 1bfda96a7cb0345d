// Reads an uploaded spreadsheet as rows of text cells, numbered as the spreadsheet shows them (row 1 is the first
// line). CSV goes through csv-parse (quotes, embedded newlines and commas as RFC 4180 has them), after the bytes
// are decoded: UTF-8 with or without a BOM, or GBK/GB18030 as Excel on a Chinese Windows saves "CSV". XLSX goes
// through exceljs' streaming reader (first worksheet), with dates and numbers turned into the text a person typed.
import { Readable } from 'node:stream';
import type { ImportFormat } from '@member-hub/shared';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../errors';

export interface SheetRow {
  /** Spreadsheet row number (1-based). */
  row: number;
  cells: string[];
}

export type Encoding = 'utf-8' | 'gbk';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SLICE = 64 * 1024;

/** Which kind of file this is, from the bytes (an XLSX is a ZIP), else the name, else the declared type. */
export function detectFormat(bytes: Buffer, fileName: string, contentType: string): ImportFormat | null {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  if (/\.xlsx$/i.test(fileName) || contentType.includes('spreadsheetml')) return 'xlsx';
  if (/\.(csv|txt)$/i.test(fileName) || /^text\/(csv|plain)/.test(contentType)) return 'csv';
  // Bytes that are not a ZIP and decode as text: CSV.
  return bytes.length > 0 && !bytes.subarray(0, 512).includes(0) ? 'csv' : null;
}

export function decodeCsv(bytes: Buffer): { text: string; encoding: Encoding } {
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: Excel's "CSV" on Chinese Windows is the ANSI code page, GBK (GB18030 is its superset).
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gbk' };
  }
}

/** Comma unless the first line plainly uses tabs or semicolons (Excel's "Unicode text", some locales). */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const counts = [',', '\t', ';'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return counts[0] && counts[0][1] > 0 ? counts[0][0] : ',';
}

async function* csvRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const { text } = decodeCsv(bytes);
  const slices = function* () {
    for (let i = 0; i < text.length; i += SLICE) yield text.slice(i, i + SLICE);
  };
  const parser = Readable.from(slices()).pipe(
    parse({ delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: false, bom: true }),
  );
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    const e = err as { code?: string; lines?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_'))
      throw new AppError('VALIDATION_FAILED', `CSV 文件格式错误（约第 ${e.lines ?? row + 1} 行），请检查引号是否成对`, {
        code: e.code,
        line: e.lines ?? null,
      });
    throw err;
  }
}

/** The text a cell shows: what exceljs reads is a number, a date, rich text, a formula's result... */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // Excel dates have no zone: exceljs gives them as UTC midnight of the day shown.
    const iso = Number.isNaN(value.getTime()) ? '' : value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').slice(0, 19);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return '';
  if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value) return String((value as { text: unknown }).text ?? '');
  return '';
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles say which numbers are dates.
    styles: 'cache',
    worksheets: 'emit',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        // row.values is 1-based (index 0 is empty) and sparse.
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] ?? null));
        yield { row: row.number, cells };
      }
      return; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('VALIDATION_FAILED', 'Excel 文件无法读取，请另存为 .xlsx 或 CSV 后重试', {
      cause: String((err as Error).message ?? err).slice(0, 200),
    });
  }
}

/** Every row of the file, blank ones included (callers skip them, keeping the numbering). */
export function readRows(bytes: Buffer, format: ImportFormat): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes);
}

export const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/** The header (first non-blank row) and the data rows after it. */
export async function* dataRows(
  bytes: Buffer,
  format: ImportFormat,
): AsyncGenerator<{ header: string[]; row: SheetRow }> {
  let header: string[] | null = null;
  for await (const row of readRows(bytes, format)) {
    if (isBlank(row.cells)) continue;
    if (!header) {
      header = row.cells.map((c) => c.replace(/^\uFEFF/, '').trim());
      continue;
    }
    yield { header, row };
  }
}

export async function headerOf(bytes: Buffer, format: ImportFormat): Promise<string[]> {
  for await (const row of readRows(bytes, format)) {
    if (!isBlank(row.cells)) return row.cells.map((c) => c.replace(/^\uFEFF/, '').trim());
  }
  return [];
}
