// What the tests of the /api/v1 and /mp documents check alike: the document is valid OpenAPI 3.1, and it describes
// exactly the routes the gateway serves under its prefix (read from the real routers), no more and no fewer.
import type { ExecutionContext } from 'ava';
import type Router from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';

/** `METHOD /path` (relative to `prefix`, parameters as `{name}`) of every route the routers serve under `prefix`. */
export function routesUnder(prefix: string, routers: Iterable<Router | undefined>): string[] {
  const routes = new Set<string>();
  for (const router of routers) {
    for (const layer of router?.stack ?? []) {
      const path = String(layer.path);
      if (!path.startsWith(`${prefix}/`)) continue;
      for (const m of layer.methods) {
        if (m === 'HEAD') continue;
        routes.add(`${m} ${path.slice(prefix.length).replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return [...routes].sort();
}

export async function assertValidOpenApi31(t: ExecutionContext, doc: { openapi: string }): Promise<void> {
  t.is(doc.openapi, '3.1.0');
  const result = await new Validator().validate(doc);
  t.true(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
}

/** The operations `doc` describes are the `served` routes (at least `atLeast` of them), no more and no fewer. */
export function assertDescribesServed(
  t: ExecutionContext,
  doc: { paths: Record<string, Record<string, unknown>> },
  served: string[],
  atLeast: number,
): void {
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  t.true(served.length >= atLeast, served.join(', '));
  t.deepEqual(
    served.filter((r) => !documented.includes(r)),
    [],
    'served but not documented',
  );
  t.deepEqual(
    documented.filter((r) => !served.includes(r)),
    [],
    'documented but not served',
  );
}
