// The message catalogue for the console's browser side: the same texts the server uses, so no name is translated twice.
// Served before the session check (the login page reads it too); it holds no personal data.
import Router from '@koa/router';
import { catalogues, defaultLocale } from '../i18n/index.js';
import { AppError } from '../errors.js';

export function i18nRoutes(): Router {
  const router = new Router();
  router.get('/i18n/:locale', (ctx) => {
    const locale = ctx.params.locale === 'default' ? defaultLocale : ctx.params.locale!;
    const messages = catalogues[locale];
    if (!messages) throw new AppError('not_found', { detail: `没有 ${locale} 语言包` });
    ctx.body = { locale, messages };
  });
  return router;
}
