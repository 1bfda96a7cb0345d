// CSV downloads, streamed: rows come from an async generator reading a database cursor in batches, go through
// csv-stringify (quoting per RFC 4180: commas, quotes, newlines in nicknames), and leave as a chunked response.
// Backpressure reaches the cursor: a slow client stops the reads, so no export is ever held in memory.
// A UTF-8 BOM goes first, else Excel on Windows reads the Chinese as GBK gibberish.
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Context } from 'koa';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** yyyy-MM-dd HH:mm:ss, China time: what an owner's spreadsheet should show. */
export function chinaDateTime(at: Date | null | undefined): string {
  if (!at) return '';
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

/** The [from, to] China-time day range as a createdAt filter (to inclusive). */
export function chinaDayRange(from?: string, to?: string): Record<string, Date> | null {
  if (!from && !to) return null;
  const range: Record<string, Date> = {};
  if (from) range.$gte = new Date(`${from}T00:00:00+08:00`);
  if (to) range.$lt = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  return range;
}

export interface CsvDownload {
  fileName: string;
  columns: readonly string[];
  rows: AsyncIterable<Array<string | number>>;
  /** Called once when the stream ends, with the rows written and whether the client got them all. */
  onEnd?: (result: { rows: number; completed: boolean }) => Promise<void> | void;
}

export function sendCsv(ctx: Context, download: CsvDownload): void {
  let rows = 0;
  let completed = false;
  async function* counted() {
    try {
      for await (const row of download.rows) {
        rows++;
        yield row;
      }
      completed = true;
    } finally {
      // Runs when the last row is read, or when the client goes away and the pipeline is torn down.
      try {
        await download.onEnd?.({ rows, completed });
      } catch (err) {
        ctx.state.log?.error({ err }, 'export end hook failed');
      }
    }
  }
  const source = Readable.from(counted());
  const csv = stringify({ bom: true, header: true, columns: [...download.columns], record_delimiter: '\r\n' });
  // pipeline: an error or a closed connection on either side destroys both, which ends the generator above.
  const body = pipeline(source, csv, () => {});
  ctx.attachment(download.fileName, { type: 'attachment' });
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}
