// Serves the outbound API's OpenAPI document at /api/v1/openapi.json and a readable reference at /api-docs/, built
// from the swagger-ui-dist package's files served by the gateway itself (no CDN: government networks often have
// no way out, and a page should not depend on a third party).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { openApiDocument } from './document.js';

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>网关对外接口文档（/api/v1）</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/api-docs/swagger-ui-bundle.js"></script>
  <script src="/api-docs/init.js"></script>
</body>
</html>
`;

// In a file of its own, so a Content-Security-Policy without 'unsafe-inline' still lets the page start.
const init = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });\n`;

export function openApiRoutes(publicBaseUrl: () => string): Router {
  const router = new Router();
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  let document: Record<string, unknown> | undefined;
  router.get('/api/v1/openapi.json', (ctx) => {
    document ??= openApiDocument(publicBaseUrl());
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document;
  });
  // Also answers /api-docs (the router ignores a trailing slash); the page's links are absolute.
  router.get('/api-docs/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });
  router.get('/api-docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = init;
  });
  router.get('/api-docs/:asset', async (ctx, next) => {
    const type = assets[ctx.params.asset!];
    if (!type) return next() as Promise<void>;
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await readFile(join(dir, ctx.params.asset!));
  });
  return router;
}
