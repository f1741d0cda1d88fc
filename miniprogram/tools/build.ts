// Builds the mini-program in place: every page, component and library .ts becomes the .js beside it (CommonJS, as the
// mini-program runtime loads it), and shared/index.ts is bundled with zod into shared/index.js, so the app validates
// letters with the project's own schema. Type checking is `tsc -p miniprogram` (part of `npm run typecheck`).
import { build, transform } from 'esbuild';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The mini-program runtime's JavaScript level (base library 2.x+ with "enhance" on).
const target = 'es2018';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['tools', 'shared', 'node_modules', 'miniprogram_npm'].includes(name) && dir === root ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

async function main(): Promise<void> {
  const files = sources(root);
  for (const file of files) {
    const out = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target, sourcefile: relative(root, file) });
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
  });
  console.log(`mini-program built: ${files.length} files and shared/index.js`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
