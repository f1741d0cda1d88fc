// Keeps the gateway's folder structure honest: no value-import cycle between its folders, and no core file importing a
// channel's folder (the core reaches channels only through the registry and the adapter interface).
import test from 'ava';
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
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
      const typeOnly = !!c && (c.phaseModifier === ts.SyntaxKind.TypeKeyword || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
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
  if (parts.length === 2) return file;
  if (parts[1] === 'channels') return parts.length === 3 ? file : parts.slice(0, 3).join('/');
  return parts.slice(0, 2).join('/');
}

/** Channel folders: gateway/channels/<name>/, except the sandbox, which stands in for any channel and names none. */
function channelFolderOf(file: string): string | undefined {
  const m = /^gateway\/channels\/([^/]+)\//.exec(file);
  return m && m[1] !== 'sandbox' ? `gateway/channels/${m[1]}` : undefined;
}

const files = sourceFiles('gateway');
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
      const inCycle = units.flatMap((a) => [...(edges.get(a) ?? [])].filter(([b]) => units.includes(b)).map(([, why]) => why));
      cycles.push({ units: units.sort(), edges: inCycle.sort() });
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

test('when the gateway is read, then the import check sees its files and their imports', (t) => {
  t.true(files.includes('gateway/channels/registry.ts'));
  t.true(imports.some((i) => i.from === 'gateway/channels/registry.ts' && channelFolderOf(i.to) !== undefined && !i.typeOnly));
});

test('when folders of gateway/ import each other, then no value import closes a cycle between folders', (t) => {
  t.deepEqual(folderCycles(), []);
});

test('when a core file imports, then it never imports a channel folder (only the registry names channels)', (t) => {
  const offending = imports
    .filter((i) => channelFolderOf(i.to) !== undefined && channelFolderOf(i.from) === undefined)
    .filter((i) => i.from !== 'gateway/channels/registry.ts')
    .map((i) => `${i.from} → ${i.to}`);
  t.deepEqual(offending, []);
});
