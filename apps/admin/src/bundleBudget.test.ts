// The first-page budget check (scripts/bundleBudget.ts) on a small made-up build: which files it counts and how.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { entryScript, firstPageFiles, type Manifest, measureFirstPage } from '../scripts/bundleBudget';

const manifest: Manifest = {
  'index.html': {
    file: 'assets/index-a1.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_shared-b2.js'],
    dynamicImports: ['src/pages/tags/TagsPage.tsx'],
    css: ['assets/index-c3.css'],
  },
  '_shared-b2.js': { file: 'assets/shared-b2.js', imports: ['_zod-d4.js'] },
  '_zod-d4.js': { file: 'assets/zod-d4.js', imports: ['_shared-b2.js'] },
  'src/pages/tags/TagsPage.tsx': { file: 'assets/TagsPage-e5.js', imports: ['_shared-b2.js'], css: ['assets/t.css'] },
};

describe('the first-page budget', () => {
  it('finds the entry script under the base path', () => {
    const html = '<script type="module" crossorigin src="/admin/assets/index-a1.js"></script>';
    expect(entryScript(html, '/admin/')).toBe('assets/index-a1.js');
    expect(() => entryScript('<p></p>', '/admin/')).toThrow('index.html has no module script');
  });

  it('counts the entry, its static imports (cycles once) and their CSS, never the lazy chunks', () => {
    expect(firstPageFiles(manifest, 'assets/index-a1.js')).toEqual([
      'assets/index-a1.js',
      'assets/index-c3.css',
      'assets/shared-b2.js',
      'assets/zod-d4.js',
    ]);
    expect(() => firstPageFiles(manifest, 'assets/other.js')).toThrow('the manifest has no chunk for assets/other.js');
  });

  it('gzips each file and compares the total with the budget', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'admin-dist-'));
    try {
      mkdirSync(path.join(dist, 'assets'));
      mkdirSync(path.join(dist, '.vite'));
      writeFileSync(path.join(dist, '.vite', 'manifest.json'), JSON.stringify(manifest));
      const html = '<html><script type="module" src="/admin/assets/index-a1.js"></script></html>';
      writeFileSync(path.join(dist, 'index.html'), html);
      const contents: Record<string, string> = {
        'assets/index-a1.js': 'console.log("entry");'.repeat(50),
        'assets/index-c3.css': 'body{margin:0}',
        'assets/shared-b2.js': 'export const a = 1;',
        'assets/zod-d4.js': 'export const z = 2;',
        'assets/TagsPage-e5.js': 'x'.repeat(100_000),
      };
      for (const [file, text] of Object.entries(contents)) writeFileSync(path.join(dist, file), text);

      const report = measureFirstPage(dist);
      expect(report.files.map((file) => file.file)).toEqual(['index.html', ...Object.keys(contents).slice(0, 4)]);
      const expected = [html, ...Object.values(contents).slice(0, 4)].reduce(
        (sum, text) => sum + gzipSync(Buffer.from(text), { level: 9 }).length,
        0,
      );
      expect(report.totalGzipBytes).toBe(expected);
      expect(report.ok).toBe(true);
      expect(measureFirstPage(dist, { budgetBytes: expected - 1 }).ok).toBe(false);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
