// The message catalogue for the console's browser side: the same texts the server uses, so no name is translated twice.
// Served before the session check (the login page reads it too); it holds no personal data.
import Router from '@koa/router';
import { catalogues, defaultLocale } from '../i18n/index.js';
import { AppError } from '../errors.js';
import { format } from '../i18n/catalogue.js';
import { messages as adminMessages } from './messages.zh-CN.js';

export function i18nRoutes(): Router {
  const router = new Router();
  router.get('/i18n/:locale', (ctx) => {
    const locale = ctx.params.locale === 'default' ? defaultLocale : ctx.params.locale!;
    const messages = catalogues[locale];
    if (!messages)
      throw new AppError('not_found', { detail: format(adminMessages, 'admin.localeMissing', { locale }) });
    ctx.body = { locale, messages };
  });
  return router;
}
