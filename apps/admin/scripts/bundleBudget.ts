// The first page's weight: what a browser downloads to show the login form and the 概览 shell, gzipped as a server
// would send it. The entry script of the built index.html is followed through its static imports in Vite's manifest
// (lazy chunks, loaded when a section is opened, are not counted), with the CSS those chunks pull in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The budget for the first page: 500 KB gzipped. */
export const FIRST_PAGE_BUDGET_BYTES = 500 * 1024;

/** One entry of `.vite/manifest.json` (Vite's `build.manifest`). */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface BudgetReport {
  files: { file: string; bytes: number; gzipBytes: number }[];
  totalGzipBytes: number;
  budgetBytes: number;
  ok: boolean;
}

/** The entry script's path under dist, from `<script type="module" src="/admin/assets/index-….js">`. */
export function entryScript(indexHtml: string, base: string): string {
  const match = /<script[^>]*type="module"[^>]*src="([^"]+)"/.exec(indexHtml);
  if (!match?.[1]) throw new Error('index.html has no module script');
  const src = match[1];
  return src.startsWith(base) ? src.slice(base.length) : src.replace(/^\//, '');
}

/** The files the first page loads: the entry chunk, its static imports (transitively) and their CSS, in load order. */
export function firstPageFiles(manifest: Manifest, entryFile: string): string[] {
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.file === entryFile);
  if (!entryKey) throw new Error(`the manifest has no chunk for ${entryFile}`);
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    files.push(chunk.file, ...(chunk.css ?? []));
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  return [...new Set(files)];
}

/** Reads `distDir` (index.html and .vite/manifest.json) and gzips each first-page file as the server would send it. */
export function measureFirstPage(
  distDir: string,
  { base = '/admin/', budgetBytes = FIRST_PAGE_BUDGET_BYTES }: { base?: string; budgetBytes?: number } = {},
): BudgetReport {
  const indexHtml = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const manifest = JSON.parse(readFileSync(path.join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const measured = ['index.html', ...firstPageFiles(manifest, entryScript(indexHtml, base))].map((file) => {
    const content = readFileSync(path.join(distDir, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  const totalGzipBytes = measured.reduce((sum, file) => sum + file.gzipBytes, 0);
  return { files: measured, totalGzipBytes, budgetBytes, ok: totalGzipBytes <= budgetBytes };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line per file and the total against the budget. */
export function budgetText(report: BudgetReport): string {
  const lines = report.files.map((file) => `  ${file.file}: ${kb(file.bytes)} (gzip ${kb(file.gzipBytes)})`);
  const verdict = report.ok ? 'within' : 'OVER';
  return [
    'first page (login + overview shell):',
    ...lines,
    `  total gzip ${kb(report.totalGzipBytes)}: ${verdict} the budget of ${kb(report.budgetBytes)}`,
  ].join('\n');
}
