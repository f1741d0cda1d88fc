// Compiles the tests and the code they load to JavaScript once per run, into .test-build/, so that ava's workers load
// plain modules instead of TypeScript through a loader hook: with a hook, every worker spent seconds of CPU resolving
// and transforming some 700 modules, and a run has over a hundred workers. The source tree is mirrored (each .ts
// compiled beside a link to the source, every other file and folder linked), so code that reads files next to itself
// through import.meta.url finds them as in the source tree. Each test file is then bundled with the project code it
// imports (see below). Types are checked by `npm run typecheck`, not here.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const BUILD_DIR = '.test-build';

/** Folders of the checkout that are not mirrored: dependencies, VCS, outputs and data. */
const skipped = new Set(['.git', BUILD_DIR, 'dist', 'data', 'test-results']);

function containsTypeScript(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() ? containsTypeScript(join(dir, e.name)) : e.name.endsWith('.ts')) return true;
  }
  return false;
}

/** Mirrors `dir` under BUILD_DIR and returns the .ts files to compile (those without a .js already beside them). */
function mirror(dir: string, root: string, entries: string[]): void {
  const target = join(root, BUILD_DIR, relative(root, dir));
  mkdirSync(target, { recursive: true });
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const source = join(dir, e.name);
    if (dir === root && skipped.has(e.name)) continue;
    const link = () => symlinkSync(source, join(target, e.name));
    if (e.isDirectory() && e.name !== 'node_modules' && containsTypeScript(source)) mirror(source, root, entries);
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      link();
      // The mini-program's own build writes its .js beside each .ts: those are kept as they are.
      if (!existsSync(source.replace(/\.ts$/, '.js'))) entries.push(source);
    } else link();
  }
}

export async function compileTests(root = process.cwd()): Promise<void> {
  const out = join(root, BUILD_DIR);
  if (existsSync(out) && lstatSync(out).isDirectory()) rmSync(out, { recursive: true, force: true });
  const entries: string[] = [];
  mirror(resolve(root), resolve(root), entries);
  await build({
    entryPoints: entries,
    outdir: out,
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Then each test file again, bundled with the project code it imports (dependencies stay external), over its
  // unbundled copy: a worker then loads a handful of files instead of some 700 modules, which took about half a
  // second of CPU per test file. Shared code goes to chunks, so a worker still evaluates each module once.
  await build({
    entryPoints: entries.filter((e) => /\.test\.ts$/.test(e)),
    outdir: out,
    outbase: root,
    bundle: true,
    splitting: true,
    packages: 'external',
    chunkNames: '_chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    allowOverwrite: true,
    plugins: [keepImportMetaUrl(root, out)],
  });
}

/**
 * Bundled code no longer sits where its source did, so `import.meta.url` in each module becomes the address of that
 * module's unbundled copy in the mirror, beside the files it reads (templates, the console's static files, …).
 */
function keepImportMetaUrl(root: string, out: string): Plugin {
  return {
    name: 'keep-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url') || args.path.includes('node_modules')) return undefined;
        const mirrored = join(out, relative(root, args.path)).replace(/\.ts$/, '.js');
        return {
          contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(mirrored).href)),
          loader: 'ts',
        };
      });
    },
  };
}
