// Builds the mini-program in place: every page, component and library .ts becomes the .js beside it (CommonJS, as the
// mini-program runtime loads it), and shared/index.ts is bundled with zod into shared/index.js, so the app validates
// letters with the project's own schema. Type checking is `tsc -p miniprogram` (part of `npm run typecheck`).
// env.js gets the gateway address of each version (develop/trial/release, see api-bases.ts); `--release` makes the
// build refuse anything but https for trial and release. zod's locales are left out but for zh-CN, the one the app
// shows: they were more than half of the bundle.
import { build, transform, type Plugin } from 'esbuild';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ApiBaseError, apiBasesFrom } from './api-bases.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// The mini-program runtime's JavaScript level (base library 2.x+ with "enhance" on).
const target = 'es2018';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return ['tools', 'shared', 'node_modules', 'miniprogram_npm'].includes(name) && dir === root ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const zodLocales = join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'v4', 'locales');

/** zod imports its English locale as the default and re-exports every locale: both become the zh-CN one only. */
const zhCnOnly: Plugin = {
  name: 'zod-zh-cn-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/(index|en)\.js$/ }, (args) => {
      if (!args.importer.includes(join('node_modules', 'zod'))) return undefined;
      return args.path.endsWith('index.js')
        ? { path: 'zod-locales', namespace: 'zod-locales' }
        : { path: join(zodLocales, 'zh-CN.js') };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: `export { default as zhCN } from ${JSON.stringify(join(zodLocales, 'zh-CN.js'))};`,
      resolveDir: zodLocales,
      loader: 'js',
    }));
  },
};

async function main(): Promise<void> {
  const release = process.argv.includes('--release');
  const bases = apiBasesFrom(process.env, release);
  writeFileSync(
    join(root, 'env.js'),
    `// Written by the build (tools/build.ts): the gateway address of each version.\nexports.API_BASES = ${JSON.stringify(bases)};\n`,
  );
  const files = sources(root);
  for (const file of files) {
    const out = await transform(readFileSync(file, 'utf8'), {
      loader: 'ts',
      format: 'cjs',
      target,
      sourcefile: relative(root, file),
    });
    writeFileSync(file.replace(/\.ts$/, '.js'), out.code);
  }
  await build({
    entryPoints: [join(root, 'shared', 'index.ts')],
    outfile: join(root, 'shared', 'index.js'),
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    minify: true,
    target,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zhCnOnly],
    // Chinese as it is, not as \u escapes (a third of the size for Chinese text).
    charset: 'utf8',
  });
  const size = statSync(join(root, 'shared', 'index.js')).size;
  console.log(
    `mini-program built${release ? ' for release' : ''}: ${files.length} files and shared/index.js (${Math.round(size / 1024)} KB); API ${JSON.stringify(bases)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ApiBaseError ? `build refused: ${err.message}` : err);
  process.exit(1);
});
