// Compiles the tests and the code they load to JavaScript once per run, into .test-build/, so that ava's workers load
// plain modules instead of TypeScript through a loader hook: with a hook, every worker spent seconds of CPU resolving
// and transforming some 700 modules, and a run has over a hundred workers. The source tree is mirrored (each .ts
// compiled beside a link to the source, every other file and folder linked), so code that reads files next to itself
// through import.meta.url finds them as in the source tree. Each test file is then bundled with the project code it
// imports (see below). Types are checked by `npm run typecheck`, not here.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

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

/**
 * Compiles the tests into BUILD_DIR and returns the files for ava to run when it is given none: the test files, with
 * small ones that can share a worker gathered into group files (see groupTestFiles).
 */
export async function compileTests(root = process.cwd()): Promise<string[]> {
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
  const tests = entries.filter((e) => /\.test\.ts$/.test(e));
  const bundled = await build({
    entryPoints: tests,
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
    metafile: true,
    plugins: [keepImportMetaUrl(root, out)],
  });
  return groupTestFiles(root, out, tests, bundled.metafile);
}

/** Files gathered into one worker at most: enough to share the start-up, few enough that no group runs for long. */
const GROUP_SIZE = 4;

/**
 * Each ava worker costs about 1.5 s of CPU before its first test: the thread, ava's runner and the gateway's modules
 * (Kysely, Agenda, zod, Koa, …), loaded again in every worker. Small test files of one folder of test/ (and the
 * folders' leftovers together) are therefore run in groups, one worker per group, through a generated
 * `a+b+c.test.js` that imports them; each still opens its own database and gateway in its own hooks. A file stays
 * alone when sharing could change what it tests: hooks that run around every test (ava applies them to the whole
 * worker) or a shared t.context, nock (its interceptors and net switches are per thread), process.env changes,
 * browsers and the mini-program simulator (long, and global DOM state), and the files that run long by themselves
 * (marked by a `// test-worker: alone` line). Run by name (`npm test -- test/a/b.test.ts`), a file still runs alone.
 */
function groupTestFiles(root: string, out: string, tests: string[], metafile: Metafile): string[] {
  const outputOf = (source: string) => join(out, relative(root, source)).replace(/\.ts$/, '.js');
  // The source files bundled into each output and the chunks it imports, to see what it loads (also through require).
  const sourcesOf = (output: string, seen = new Set<string>()): string[] => {
    const key = relative(process.cwd(), output);
    if (seen.has(key)) return [];
    seen.add(key);
    const entry = metafile.outputs[key];
    if (!entry) return [];
    return [
      ...Object.keys(entry.inputs),
      ...entry.imports.filter((i) => !i.external).flatMap((i) => sourcesOf(resolve(i.path), seen)),
    ];
  };
  const sharesThreadState = /['"](nock|playwright-core|miniprogram-simulate|jsdom)['"]/;
  const alone = (source: string): boolean => {
    const text = readFileSync(source, 'utf8');
    if (
      /\b(beforeEach|afterEach)\b|t\.context|process\.env\.\w+\s*=[^=]|delete process\.env|test-worker: alone/.test(
        text,
      )
    )
      return true;
    return sourcesOf(outputOf(source)).some(
      (s) => !s.includes('node_modules') && sharesThreadState.test(readFileSync(s, 'utf8')),
    );
  };
  const groups = new Map<string, string[]>();
  const files: string[] = [];
  for (const source of tests.sort()) {
    if (alone(source)) {
      files.push(outputOf(source));
      continue;
    }
    const folder = relative(join(root, 'test'), source).split('/')[0]!;
    const group = groups.get(folder) ?? [];
    groups.set(folder, group);
    group.push(outputOf(source));
  }
  // A folder's last file left over is grouped with other folders' leftovers, in test/ itself.
  const leftovers: string[] = [];
  const writeGroup = (folder: string, part: string[]) => {
    const name = part.map((m) => basename(m, '.test.js')).join('+');
    const file = join(out, 'test', folder, `${name}.test.js`);
    const imports = part.map((m) => `import ${JSON.stringify(`./${relative(dirname(file), m)}`)};`);
    writeFileSync(file, `${imports.join('\n')}\n`);
    files.push(file);
  };
  for (const [folder, members] of groups) {
    for (let i = 0; i < members.length; i += GROUP_SIZE) {
      const part = members.slice(i, i + GROUP_SIZE);
      if (part.length === 1) leftovers.push(part[0]!);
      else writeGroup(folder, part);
    }
  }
  for (let i = 0; i < leftovers.length; i += GROUP_SIZE) {
    const part = leftovers.slice(i, i + GROUP_SIZE);
    if (part.length === 1) files.push(part[0]!);
    else writeGroup('', part);
  }
  return files.map((f) => relative(root, f));
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
