// Keeps the gateway's folder structure honest: no value-import cycle between its folders, and no core file importing a
// channel's folder (the core reaches channels only through the registry, the adapter interface, and the gathered settings).
import test from 'ava';
import ts from 'typescript';
import { channels } from '../../shared/letter.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of a file, resolved to a path in the repository, with whether it is type-only. */
function importsOf(file: string): Import[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: Import[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return;
    const to = relative('.', resolve(dirname(file), spec.text)).replace(/\.js$/, '.ts');
    out.push({ from: file, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      // `import { type A, type B }` loads nothing at run time, like `import type`; a bare `import './x.js'` does.
      const typeOnly =
        !!c &&
        (c.phaseModifier === ts.SyntaxKind.TypeKeyword ||
          (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The folder a file belongs to: its first-level folder under gateway/, or gateway/channels/<name>/ for a channel.
 * Files directly in gateway/ (composition root, app, error catalogue, services) and in gateway/channels/ (the adapter
 * interface, the registry) are each their own unit: they are the wiring, not a feature folder.
 */
function unitOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'gateway') return undefined;
  // Message fragments and the catalogue's mechanism import nothing, so no cycle can pass through them: a folder reads
  // its texts with format() from its own fragment while i18n/zh-CN.ts composes every fragment into the catalogue.
  if (isCatalogueLeaf(file)) return file;
  if (parts.length === 2) return file;
  // Migrations import only migrations (checked below): each migrations/ folder is a leaf unit, so the store can load a
  // channel's migrations (through channels/migrations.ts) without a cycle through the channel's code.
  if (isMigration(file)) return dirname(file);
  // Text fragments (a folder's messages/) import nothing and are read by the catalogue: a leaf unit of their own.
  if (parts[2] === 'messages' && parts.length === 4) return parts.slice(0, 3).join('/');
  if (parts[1] === 'channels') return parts.length === 3 ? file : parts.slice(0, 3).join('/');
  return parts.slice(0, 2).join('/');
}

/**
 * A `*.zh-CN.ts` message fragment, gateway/i18n/catalogue.ts, a channel's error codes (`error-codes.ts`, gathered into
 * the error catalogue) or its id constant (`channel-id.ts`), checked below to import nothing.
 */
const isCatalogueLeaf = (file: string): boolean =>
  file.endsWith('.zh-CN.ts') ||
  file === 'gateway/i18n/catalogue.ts' ||
  /^gateway\/channels\/[^/]+\/(error-codes|channel-id)\.ts$/.test(file);

/** A migration or a migration list: in gateway/store/migrations/ or a channel folder's migrations/. */
const isMigration = (file: string): boolean => /^gateway\/(store|channels\/[^/]+)\/migrations\/[^/]+\.ts$/.test(file);

/**
 * A core folder that serves one channel's app and names that channel through the channel's id constant (never a
 * literal): folder → the one channel file it may import.
 */
const channelIdReaders: Record<string, string> = {
  'gateway/mp/': 'gateway/channels/wechat-mp/channel-id.ts',
};
const readsOwnChannelId = (i: Import): boolean =>
  Object.entries(channelIdReaders).some(([folder, file]) => i.from.startsWith(folder) && i.to === file);

/** Channel folders: gateway/channels/<name>/, except the sandbox, which stands in for any channel and names none. */
function channelFolderOf(file: string): string | undefined {
  const m = /^gateway\/channels\/([^/]+)\//.exec(file);
  return m && m[1] !== 'sandbox' ? `gateway/channels/${m[1]}` : undefined;
}

const files = sourceFiles('gateway');
/**
 * The files outside the channel folders that gather every channel: adapters (with their routes and texts), settings
 * for config/, error codes for the error catalogue, and migrations for the store.
 */
const gathering = new Set([
  'gateway/channels/registry.ts',
  'gateway/channels/settings.ts',
  'gateway/channels/error-codes.ts',
  'gateway/channels/migrations.ts',
]);
const imports = files.flatMap(importsOf);

/** Strongly connected components of more than one unit (Tarjan), each a cycle of value imports between folders. */
function folderCycles(): { units: string[]; edges: string[] }[] {
  const edges = new Map<string, Map<string, string>>();
  for (const i of imports) {
    if (i.typeOnly) continue;
    const a = unitOf(i.from);
    const b = unitOf(i.to);
    if (!a || !b || a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `${i.from} → ${i.to}`);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: { units: string[]; edges: string[] }[] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const units: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      units.push(w);
    } while (w !== v);
    if (units.length > 1) {
      const inCycle = units.flatMap((a) =>
        [...(edges.get(a) ?? [])].filter(([b]) => units.includes(b)).map(([, why]) => why),
      );
      cycles.push({ units: units.sort(), edges: inCycle.sort() });
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

test('when the gateway is read, then the import check sees its files and their imports', (t) => {
  t.true(files.includes('gateway/channels/registry.ts'));
  t.true(
    imports.some(
      (i) => i.from === 'gateway/channels/registry.ts' && channelFolderOf(i.to) !== undefined && !i.typeOnly,
    ),
  );
});

test('when a message fragment, the catalogue mechanism or error codes are read, then they import nothing (leaves)', (t) => {
  const leaves = files.filter(isCatalogueLeaf);
  t.true(leaves.length > 10);
  t.deepEqual(
    imports.filter((i) => isCatalogueLeaf(i.from)).map((i) => `${i.from} → ${i.to}`),
    [],
  );
});

test('when folders of gateway/ import each other, then no value import closes a cycle between folders', (t) => {
  t.deepEqual(folderCycles(), []);
});

test('when a core file imports, then it never imports a channel folder (only the registry names channels)', (t) => {
  const offending = imports
    .filter((i) => channelFolderOf(i.to) !== undefined && channelFolderOf(i.from) === undefined)
    .filter((i) => !gathering.has(i.from) && !readsOwnChannelId(i))
    .map((i) => `${i.from} → ${i.to}`);
  t.deepEqual(offending, []);
});

test('when a migration imports, then it imports only migrations (history, loaded by the store without channel code)', (t) => {
  const migrationFiles = files.filter(isMigration);
  t.true(migrationFiles.includes('gateway/channels/sms/migrations/0300-sms.ts'));
  t.true(migrationFiles.includes('gateway/store/migrations/0001-foundation.ts'));
  t.deepEqual(
    imports.filter((i) => isMigration(i.from) && !isMigration(i.to)).map((i) => `${i.from} → ${i.to}`),
    [],
  );
  // The gathering file loads nothing else either.
  t.deepEqual(
    imports
      .filter((i) => i.from === 'gateway/channels/migrations.ts' && !isMigration(i.to))
      .map((i) => `${i.from} → ${i.to}`),
    [],
  );
});

/**
 * The channel ids as the letters store them, read from the channel folders (each channel is a folder with an index.ts;
 * the sandbox stands in for any channel): a core file that spells one out names a channel.
 */
const channelIds = new Set(
  readdirSync('gateway/channels', { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'sandbox' && existsSync(join('gateway/channels', e.name, 'index.ts')))
    .map((e) => e.name),
);

test('when the channel folders are read, then they are the channels of the canonical letter, one folder each', (t) => {
  t.deepEqual([...channelIds].sort(), [...channels].sort());
});

test('when the registry and the settings gather the channels, then each reaches a channel by one file: its index.ts, its settings.ts', (t) => {
  const reached = (from: string, id: string) =>
    imports
      .filter((i) => i.from === from && i.to.startsWith(`gateway/channels/${id}/`))
      .map((i) => i.to)
      .sort();
  for (const id of channelIds) {
    t.deepEqual(reached('gateway/channels/registry.ts', id), [`gateway/channels/${id}/index.ts`], id);
    t.deepEqual(reached('gateway/channels/settings.ts', id), [`gateway/channels/${id}/settings.ts`], id);
  }
});

test('when the store gathers channel migrations, then it reaches each channel folder holding some by its migrations/index.ts alone', (t) => {
  const folders = readdirSync('gateway/channels', { withFileTypes: true }).filter((e) => e.isDirectory());
  const withMigrations = folders
    .filter((e) => existsSync(join('gateway/channels', e.name, 'migrations')))
    .map((e) => e.name);
  t.true(withMigrations.includes('sms') && withMigrations.includes('sandbox'));
  for (const { name } of folders) {
    const reached = imports
      .filter((i) => i.from === 'gateway/channels/migrations.ts' && i.to.startsWith(`gateway/channels/${name}/`))
      .map((i) => i.to);
    t.deepEqual(reached, withMigrations.includes(name) ? [`gateway/channels/${name}/migrations/index.ts`] : [], name);
  }
});

/**
 * Where the core still names a channel, file → how many times, each with why it stays. The check fails on any other
 * core file naming a channel and on a count that changed, so this list only shrinks (lower the count, or drop the
 * line, when a name goes). The core's migrations are history and never edited, so they are not read (their list,
 * migrations/index.ts, is); a channel's migrations live in its folder.
 */
const knownChannelNames: Record<string, { count: number; why: string }> = {
  'gateway/registrations/register.ts': {
    count: 1,
    why: 'registered letters are followed up by SMS: a product rule of the case-store API',
  },
};

/** Channel ids spelled out in a file: string literals, and quoted ids inside template text (SQL). */
function channelNamesIn(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const ids = [...channelIds].join('|');
  const quoted = new RegExp(`'(${ids})'`, 'g');
  // `sms/sms`, `wechat-oa/custom`: a channel's route spelled out by a key.
  const routeKey = new RegExp(`^(${ids})/`);
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && channelIds.has(node.text)) {
      found.push(node.text);
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && routeKey.test(node.text)) {
      found.push(routeKey.exec(node.text)![1]!);
    } else if (
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const m of node.text.matchAll(quoted)) found.push(m[1]!);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Core files: outside the channel folders and the sandbox, not gathering files, not the core's migrations (history). */
const coreFiles = files
  .filter((f) => channelFolderOf(f) === undefined && !f.startsWith('gateway/channels/sandbox/'))
  .filter((f) => !gathering.has(f) && !/^gateway\/store\/migrations\/\d{4}-[^/]+\.ts$/.test(f));

test('when a core file spells out a channel id, then it is one of the known places, no more often than listed', (t) => {
  const core = coreFiles;
  const counts: Record<string, number> = {};
  for (const f of core) {
    const n = channelNamesIn(f).length;
    if (n > 0) counts[f] = n;
  }
  const expected = Object.fromEntries(Object.entries(knownChannelNames).map(([f, k]) => [f, k.count]));
  t.deepEqual(counts, expected);
});

test('when the channel-name check reads a file, then it sees literals and quoted ids in SQL text', (t) => {
  t.true(channelNamesIn('gateway/channels/registry.ts').includes('wechat-oa'));
  // A migration (history, not checked) holds one inside SQL.
  t.deepEqual(channelNamesIn('gateway/store/migrations/0007-stats-indexes.ts'), ['sms']);
});

/** The providers a channel can use (folders under a channel's providers/, e.g. sms/providers/aliyun/). */
const providerNames = files.flatMap((f) => {
  const m = /^gateway\/channels\/[^/]+\/providers\/([^/]+)\//.exec(f);
  return m ? [m[1]!] : [];
});

/** Whether a file spells out a provider's name in a string (any case), as `'aliyun'` or in template text. */
function namesProvider(file: string): boolean {
  const names = new RegExp(`\\b(${[...new Set(providerNames)].join('|')})\\b`, 'i');
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  let found = false;
  const visit = (node: ts.Node) => {
    const text =
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
        ? node.text
        : undefined;
    if (text !== undefined && names.test(text)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test('when a core file holds a string, then it never names a channel provider (Aliyun lives in its folder)', (t) => {
  t.true(providerNames.includes('aliyun'));
  t.true(namesProvider('gateway/channels/sms/providers/aliyun/index.ts'));
  t.deepEqual(coreFiles.filter(namesProvider), []);
});
