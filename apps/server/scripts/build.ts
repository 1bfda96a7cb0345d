// `npm run build` (after the web builds): the server and its command-line tools bundled for plain node.
//   apps/server/dist/main.js        the server: NODE_ENV=production node --enable-source-maps apps/server/dist/main.js
//   apps/server/dist/cli/<name>.js  one per apps/server/src/cli/*.ts
//   apps/server/dist/dev/*.js       mongo-lite and the WeChat sandbox, loaded only when no MongoDB / real WeChat is set
// Workspace TypeScript (@member-hub/shared) is bundled in; npm packages stay external and load from node_modules.
// `--image <dir>` lays out a production image instead: the server without dev/, exactly the npm packages it loads
// (with theirs), config/ and the web builds. The Dockerfile copies that folder as it is.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

const SERVER_DIR = path.resolve(__dirname, '..');
const ROOT = path.resolve(SERVER_DIR, '../..');
export const DIST_DIR = path.join(SERVER_DIR, 'dist');

/** Workspace packages compiled into the bundle (their package.json points at TypeScript sources). */
const BUNDLED_WORKSPACES = new Set(['@member-hub/shared']);
/** Development engines: separate files next to the bundle, so a production image can leave them out. */
const DEV_ENGINES: Record<string, string> = {
  '@member-hub/mongo-lite': path.join(ROOT, 'packages/mongo-lite/src/index.ts'),
  '@member-hub/wechat-sandbox': path.join(ROOT, 'packages/wechat-sandbox/src/index.ts'),
};
const devFile = (pkg: string) => `dev/${pkg.replace('@member-hub/', '')}.js`;

const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  // Error classes and models keep their names in logs even where the bundle renames a clashing identifier.
  keepNames: true,
  metafile: true,
  absWorkingDir: ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * npm packages stay `require`s; @member-hub/shared is bundled; the dev engines become `require('<prefix>dev/…')`.
 * A package the server imports without declaring it in its package.json (found only through hoisting) fails the build.
 */
function serverImports(devPrefix: string): Plugin {
  const declared = new Set(
    Object.keys(readJson<{ dependencies: Record<string, string> }>(path.join(SERVER_DIR, 'package.json')).dependencies),
  );
  return {
    name: 'member-hub-server-imports',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        if (BUNDLED_WORKSPACES.has(name)) return undefined;
        if (DEV_ENGINES[name]) return { path: `${devPrefix}${devFile(name)}`, external: true };
        if (!declared.has(name)) {
          return {
            errors: [{ text: `${name} is imported by ${args.importer} but is not in apps/server/package.json` }],
          };
        }
        return { path: args.path, external: true };
      });
    },
  };
}

export interface BuildReport {
  files: Array<{ file: string; bytes: number }>;
  ms: number;
  /** npm packages the output requires at run time. */
  packages: string[];
}

function report(metafiles: Metafile[], started: number): BuildReport {
  const files: BuildReport['files'] = [];
  const packages = new Set<string>();
  for (const meta of metafiles)
    for (const [file, output] of Object.entries(meta.outputs)) {
      files.push({ file: path.resolve(ROOT, file), bytes: output.bytes });
      for (const imp of output.imports)
        if (imp.external && !isBuiltin(imp.path) && /^[^./]/.test(imp.path)) packages.add(packageName(imp.path));
    }
  return { files, ms: Math.round(performance.now() - started), packages: [...packages].sort() };
}

/** dist/main.js (and its map): the server alone. The production boot tests build just this. */
export async function buildServer(outdir: string): Promise<BuildReport> {
  const started = performance.now();
  const result = await build({
    ...COMMON,
    entryPoints: { main: path.join(SERVER_DIR, 'src/main.ts') },
    outdir,
    plugins: [serverImports('./')],
  });
  // The bundle is CommonJS whatever a package.json above it may one day declare.
  writeFileSync(path.join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  return report([result.metafile], started);
}

/** dist/cli/<name>.js for every apps/server/src/cli/*.ts (found at build time: new tools need no change here). */
export async function buildCli(outdir: string): Promise<BuildReport> {
  const started = performance.now();
  const cliDir = path.join(SERVER_DIR, 'src/cli');
  const entries = readdirSync(cliDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  rmSync(path.join(outdir, 'cli'), { recursive: true, force: true });
  const result = await build({
    ...COMMON,
    entryPoints: Object.fromEntries(entries.map((f) => [f.replace(/\.ts$/, ''), path.join(cliDir, f)])),
    outdir: path.join(outdir, 'cli'),
    plugins: [serverImports('../')],
  });
  return report([result.metafile], started);
}

/** dist/dev/mongo-lite.js and dist/dev/wechat-sandbox.js, for `node dist/main.js` on the development defaults. */
export async function buildDevEngines(outdir: string): Promise<BuildReport> {
  const started = performance.now();
  rmSync(path.join(outdir, 'dev'), { recursive: true, force: true });
  const results = await Promise.all(
    Object.entries(DEV_ENGINES).map(([pkg, entry]) =>
      build({ ...COMMON, entryPoints: [entry], outfile: path.join(outdir, devFile(pkg)), packages: 'external' }),
    ),
  );
  return report(
    results.map((r) => r.metafile),
    started,
  );
}

/** The folder holding `name` as node would find it from `from` (nearest node_modules going up), or null. */
function findPackage(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * Copies `packages` and everything they depend on from this checkout's node_modules (the versions the lockfile
 * installed) to the same places under `dest`. Optional and peer dependencies come along when installed.
 */
function copyPackageClosure(packages: string[], dest: string): number {
  const copied = new Set<string>();
  const visit = (name: string, from: string, required: boolean) => {
    const dir = findPackage(name, from);
    if (!dir) {
      if (required) throw new Error(`${name} (needed from ${path.relative(ROOT, from) || '.'}) is not installed`);
      return;
    }
    if (copied.has(dir)) return;
    copied.add(dir);
    const ownModules = path.join(dir, 'node_modules');
    // The package's own nested node_modules are visited as dependencies, so only what is needed is copied.
    cpSync(dir, path.join(dest, path.relative(ROOT, dir)), {
      recursive: true,
      dereference: true,
      filter: (src) => src !== ownModules,
    });
    const pkg = readJson<PackageJson>(path.join(dir, 'package.json'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, true);
    for (const dep of Object.keys({ ...pkg.optionalDependencies, ...pkg.peerDependencies })) visit(dep, dir, false);
  };
  for (const name of packages) visit(name, SERVER_DIR, true);
  return copied.size;
}

/** What the production image holds, laid out as in the repository so every relative path stays the same. */
export async function buildImage(dest: string): Promise<BuildReport> {
  const started = performance.now();
  const webDirs = ['apps/admin/dist', 'apps/miniprogram/dist/h5'];
  for (const dir of webDirs)
    if (!existsSync(path.join(ROOT, dir, 'index.html'))) throw new Error(`${dir} is missing: run npm run build:web`);
  // The folder is emptied first: never the checkout, nor a folder that is not an earlier image.
  const earlier = existsSync(path.join(dest, 'apps/server/dist/main.js'));
  if (!path.relative(dest, ROOT).startsWith('..') || (existsSync(dest) && readdirSync(dest).length && !earlier))
    throw new Error(`--image ${dest}: give a new or empty folder (or an earlier image), not one holding the checkout`);
  rmSync(dest, { recursive: true, force: true });
  const distDir = path.join(dest, 'apps/server/dist');
  mkdirSync(distDir, { recursive: true });
  const server = await buildServer(distDir);
  const cli = await buildCli(distDir);
  const packages = [...new Set([...server.packages, ...cli.packages])].sort();
  const copied = copyPackageClosure(packages, dest);
  for (const dir of ['config', ...webDirs]) cpSync(path.join(ROOT, dir), path.join(dest, dir), { recursive: true });
  process.stdout.write(`image: ${packages.length} packages imported, ${copied} copied with their dependencies\n`);
  return { files: [...server.files, ...cli.files], ms: Math.round(performance.now() - started), packages };
}

/** Everything `npm run build` writes under apps/server/dist. */
export async function buildAll(outdir = DIST_DIR): Promise<BuildReport> {
  const started = performance.now();
  mkdirSync(outdir, { recursive: true });
  const parts = [await buildServer(outdir), await buildCli(outdir), await buildDevEngines(outdir)];
  return {
    files: parts.flatMap((p) => p.files),
    ms: Math.round(performance.now() - started),
    packages: [...new Set(parts.flatMap((p) => p.packages))].sort(),
  };
}

function sizeOf(dir: string): number {
  const stat = statSync(dir);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(dir).reduce((sum, entry) => sum + sizeOf(path.join(dir, entry)), 0);
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string' } } });
  const image = values.image ? path.resolve(values.image) : null;
  const result = image ? await buildImage(image) : await buildAll();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0).padStart(6)} kB`;
  for (const { file, bytes } of result.files.filter((f) => !f.file.endsWith('.map')))
    process.stdout.write(`${kb(bytes)}  ${file.startsWith(ROOT) ? path.relative(ROOT, file) : file}\n`);
  if (image) process.stdout.write(`${kb(sizeOf(image))}  ${image} in all\n`);
  process.stdout.write(`server built in ${result.ms} ms\n`);
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
