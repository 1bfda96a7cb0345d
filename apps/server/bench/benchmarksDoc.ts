// docs/benchmarks.md: each run (load, faults) owns one section between markers and replaces only that section,
// so the rest of the file (other runs, notes written by hand) stays as it is.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DOC = path.resolve(__dirname, '../../../docs/benchmarks.md');
const TITLE = '# Benchmarks\n\nResults of `npm run load` and `npm run faults`, written by the runs themselves.\n';

export function machineLine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, node ${process.version}, ${os.platform()} ${os.release()}; load average at the start ${load}`;
}

export function writeSection(name: string, markdown: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : TITLE;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  mkdirSync(path.dirname(DOC), { recursive: true });
  writeFileSync(DOC, next);
  return DOC;
}

/** A markdown table from a header and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
