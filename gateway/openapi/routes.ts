// Serves the outbound API's OpenAPI document at /api/v1/openapi.json and a readable reference at /api-docs/, and the
// mini-program's app API's at /mp/openapi.json with its reference at /api-docs/mp/; the pages are built
// from the swagger-ui-dist package's files served by the gateway itself (no CDN: government networks often have
// no way out, and a page should not depend on a third party).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { openApiDocument } from './document.js';
import { mpOpenApiDocument } from './mp-document.js';

// A Map, not an object literal: a path segment such as `constructor` must not find an inherited property.
const assets = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
]);

const page = (title: string, init: string) => `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/api-docs/swagger-ui-bundle.js"></script>
  <script src="${init}"></script>
</body>
</html>
`;

// In a file of its own, so a Content-Security-Policy without 'unsafe-inline' still lets the page start.
const init = (url: string) =>
  `window.ui = SwaggerUIBundle({ url: '${url}', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });\n`;

/** Each document: where it is served, its reference page and the page's start-up script. */
const references = [
  {
    json: '/api/v1/openapi.json',
    page: '/api-docs/',
    init: '/api-docs/init.js',
    title: '网关对外接口文档（/api/v1）',
    build: (url: string, o: { mp: boolean }) => openApiDocument(url, o),
    always: true,
  },
  {
    json: '/mp/openapi.json',
    page: '/api-docs/mp/',
    init: '/api-docs/mp/init.js',
    title: '小程序接口文档（/mp）',
    build: mpOpenApiDocument,
    always: false,
  },
];

/**
 * `mp`: the gateway serves the mini-program's /mp routes (only with its channel); without them neither its document
 * nor its reference page is served, and the /api/v1 document does not link them.
 */
export function openApiRoutes(publicBaseUrl: () => string, o: { mp: boolean }): Router {
  const router = new Router();
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const r of references.filter((x) => x.always || o.mp)) {
    let document: Record<string, unknown> | undefined;
    router.get(r.json, (ctx) => {
      document ??= r.build(publicBaseUrl(), o);
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = document;
    });
    // Also answers without the trailing slash (the router ignores it); the page's links are absolute.
    router.get(r.page, (ctx) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page(r.title, r.init);
    });
    router.get(r.init, (ctx) => {
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.body = init(r.json);
    });
  }
  router.get('/api-docs/:asset', async (ctx, next) => {
    const type = assets.get(ctx.params.asset!);
    if (!type) return next() as Promise<void>;
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await readFile(join(dir, ctx.params.asset!));
  });
  return router;
}
