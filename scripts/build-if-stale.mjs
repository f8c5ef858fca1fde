// `npm start` runs the compiled app (dist/), not TypeScript through a loader: the loader keeps a
// second V8 (its hooks thread, with the TypeScript compiler loaded) and every module's inline
// source map in memory, ~200 MB more at idle. So that `npm start` never runs stale code, this
// compiles first what changed since the last start: every non-test .ts of src/, seeds/ and
// migrations/ whose size or modification time differs from what dist/ was compiled from (or all
// of them when tsconfig.json, the compiler or this script changed), with swc and the options
// @swc-node/register derives from tsconfig.json (the same output the loader ran), and removes
// what dist/ holds for deleted sources. Nothing changed: it reads the sources' metadata (~20 ms)
// and exits. Plain JavaScript, run by `npm start` before `exec node dist/main.js`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'seeds', 'migrations'];
const MANIFEST = path.join(DIST, '.start-build.json');
const require = createRequire(import.meta.url);

/** Every file under `dir` (relative to ROOT) that ends with `suffix`. */
function walk(dir, suffix, found = []) {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(relative, suffix, found);
    else if (entry.name.endsWith(suffix)) found.push(relative);
  }
  return found;
}

const isSource = (file) => !file.endsWith('.d.ts') && !file.endsWith('.test.ts');
const outputOf = (source) => path.join(DIST, source.replace(/\.ts$/, '.js'));

/** What a compiled file depends on besides its source: the compiler's version, tsconfig.json and this script. */
function toolchainKey() {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(ROOT, 'tsconfig.json')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const name of ['@swc/core', '@swc-node/register']) {
    try {
      hash.update(`${name}@${require(`${name}/package.json`).version}`);
    } catch {
      hash.update(`${name}@none`);
    }
  }
  return hash.digest('hex');
}

function log(level, fields, msg) {
  const line = { level, time: new Date().toISOString(), service: 'collegia', ...fields, msg };
  (level >= 50 ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
}

/** Compiles what changed since dist/ was last brought up to date; throws when it cannot. */
export async function buildIfStale() {
  // The built app alone (check-prod.sh, a production image): dist/ is all there is.
  if (!existsSync(path.join(ROOT, 'src'))) return;
  const started = performance.now();
  const sources = SOURCE_DIRS.flatMap((dir) => walk(dir, '.ts')).filter(isSource);
  let manifest = { toolchain: null, files: {} };
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    // No manifest (first start, or dist/ built by `npm run build`): everything is compiled.
  }
  const toolchain = toolchainKey();
  const sameToolchain = manifest.toolchain === toolchain;
  const stamps = {};
  const stale = [];
  for (const source of sources) {
    const { mtimeMs, size } = statSync(path.join(ROOT, source));
    stamps[source] = `${mtimeMs}:${size}`;
    if (!sameToolchain || manifest.files?.[source] !== stamps[source] || !existsSync(outputOf(source))) stale.push(source);
  }
  // Compiled files whose source is gone (a deleted migration must not run).
  const removed = [];
  for (const dir of SOURCE_DIRS) {
    for (const output of walk(path.join('dist', dir), '.js')) {
      const source = path.relative('dist', output).replace(/\.js$/, '.ts');
      if (!sources.includes(source)) {
        rmSync(path.join(ROOT, output), { force: true });
        rmSync(path.join(ROOT, `${output}.map`), { force: true });
        removed.push(source);
      }
    }
  }
  const entry = path.join(DIST, 'main.js');
  const entryText = "import './src/main.js';\n";
  const entryStale = !existsSync(entry) || readFileSync(entry, 'utf8') !== entryText;
  if (!stale.length && !removed.length && !entryStale) return;

  // swc's options, derived from tsconfig.json once per toolchain (deriving them loads TypeScript: ~1 s).
  let swcConfig = sameToolchain ? manifest.swc : undefined;
  if (stale.length) {
    let transform;
    try {
      ({ transform } = require('@swc-node/core'));
      if (!swcConfig) {
        const tsconfig = require('@swc-node/register/read-default-tsconfig');
        // As @swc-node/register's ESM loader compiles for `node --import @swc-node/register/esm-register`.
        const options = {
          ...tsconfig.readDefaultTsConfig(path.join(ROOT, 'tsconfig.json')),
          module: 99 /* ESNext */,
          paths: undefined,
          baseUrl: undefined,
        };
        // Only a .tsx/.jsx name changes them, and there is none.
        swcConfig = tsconfig.tsCompilerOptionsToSwcConfig(options, path.join(ROOT, 'src', 'main.ts'));
      }
    } catch {
      throw new Error(
        `dist/ is older than the sources (${stale.slice(0, 3).join(', ')}…) and the TypeScript compiler is not installed: run \`npm install\` (or \`npm run build\`) first`,
      );
    }
    await Promise.all(
      stale.map(async (source) => {
        const file = path.join(ROOT, source);
        const { code, map } = await transform(readFileSync(file, 'utf8'), file, swcConfig);
        const output = outputOf(source);
        mkdirSync(path.dirname(output), { recursive: true });
        const base = path.basename(output);
        writeAtomically(output, `${code}\n//# sourceMappingURL=${base}.map\n`);
        if (map) {
          const parsed = JSON.parse(map);
          parsed.file = base;
          parsed.sources = [path.relative(path.dirname(output), file)];
          writeAtomically(`${output}.map`, JSON.stringify(parsed));
        }
      }),
    );
  }
  if (entryStale) writeAtomically(entry, entryText);
  mkdirSync(DIST, { recursive: true });
  writeAtomically(MANIFEST, JSON.stringify({ toolchain, swc: swcConfig, files: stamps }));
  log(
    30,
    { compiled: stale.length, removed: removed.length, ms: Math.round(performance.now() - started) },
    `dist/ brought up to date with the sources (${stale.length} file${stale.length === 1 ? '' : 's'} compiled)`,
  );
}

/** Writes through a temporary file and a rename: a concurrent start never reads half a module. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildIfStale();
  } catch (error) {
    log(50, {}, `boot failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
