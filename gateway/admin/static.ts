// Serves the console's page and its ES modules from admin/ui/ (no build step), with a strict Content-Security-Policy:
// only our own scripts and styles, no inline code, never framed.
import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { catalogues, defaultLocale } from '../i18n/index.js';

const root = fileURLToPath(new URL('./ui/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page's `{{key}}` placeholders filled from the catalogue, so it reads right before any script has run. */
function render(page: Buffer): string {
  const messages = catalogues[defaultLocale]!;
  return page.toString('utf8').replace(/\{\{([\w.-]+)\}\}/g, (m, key: string) => escapeHtml(messages[key] ?? m));
}

export function consoleStatic(): Router {
  const router = new Router();
  router.get(['/admin', '/admin/', '/admin/:file'], async (ctx) => {
    // The router matches with or without the trailing slash; relative URLs need it.
    if (ctx.path === '/admin') {
      ctx.redirect('/admin/');
      return;
    }
    const file = ctx.params.file ?? 'index.html';
    // Only plain names from ui/: no paths, no dot files.
    if (!/^[a-z0-9-]+\.(html|js|css|svg)$/.test(file)) return;
    const ext = file.slice(file.lastIndexOf('.'));
    const body = await readFile(root + file).catch(() => null);
    if (!body) return;
    ctx.type = types[ext]!;
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    ctx.body = ext === '.html' ? render(body) : body;
  });
  return router;
}
