// The staff console: its page under /admin/ and its JSON API under /admin/api, where everything but logging in needs
// a session, every change a CSRF token, and each route the role it names.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import type { ChannelRegistry } from '../channels/registry.js';
import { staffSession } from './sessions.js';
import { authRoutes } from './auth-routes.js';
import { staffRoutes } from './staff-routes.js';
import { templateRoutes } from './template-routes.js';
import { letterRoutes } from './letter-routes.js';
import { deliveryRoutes } from './delivery-routes.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { channelRoutes } from './channel-routes.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { citizenRoutes } from './citizen-routes.js';
import { alertRoutes } from './alert-routes.js';
import { publicLetterRoutes } from './public-letter-routes.js';
import { consoleStatic } from './static.js';
import { i18nRoutes } from './i18n-routes.js';
import { attachmentRoutes } from './attachment-routes.js';
import { exportRoutes } from './export-routes.js';
import { staffStatsOptions } from './stats-options.js';
import { reportRoutes } from './report-routes.js';
import { topicRoutes } from './topic-routes.js';
import { kpiRoutes } from './kpi-routes.js';
import { statsBody } from '../stats/routes.js';
import { batchProgress } from '../registrations/batch.js';
import { sandboxCaseStoreReads } from '../casestore/sandbox-case-store.js';

export function adminConsole(s: GatewayServices, channels: ChannelRegistry): Router {
  const api = new Router({ prefix: '/admin/api' });
  api.use((ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    return next();
  });
  const auth = authRoutes(s);
  api.use(auth.routes());
  api.use(i18nRoutes().routes());
  // Everything below needs a session (viewer at least); routes that change things name a higher role themselves.
  const session = staffSession(s.db, s.config);
  const protectedApi = new Router();
  protectedApi.use(session);
  for (const r of [
    staffRoutes(s),
    templateRoutes(s, channels),
    letterRoutes(s),
    deliveryRoutes(s),
    apiKeyRoutes(s),
    channelRoutes(s, channels),
    sandboxRoutes(s, channels),
    citizenRoutes(s),
    attachmentRoutes(s),
    exportRoutes(s),
    alertRoutes(s),
    publicLetterRoutes(s),
    reportRoutes(s),
    topicRoutes(s),
    kpiRoutes(s),
  ])
    protectedApi.use(r.routes());
  // Also here because the session cookie is scoped to /admin: what a logged-in browser (or a curl cookie jar) sends.
  if (s.config.sandbox.caseStore) protectedApi.use(sandboxCaseStoreReads(s.db).routes());
  protectedApi.get('/stats', async (ctx) => {
    ctx.body = await statsBody(s, ctx, staffStatsOptions(ctx));
  });
  protectedApi.get('/survey-batches', async (ctx) => {
    ctx.body = { batches: await batchProgress(s.db, { limit: 20 }) };
  });
  api.use(protectedApi.routes());
  const root = consoleStatic();
  root.use(api.routes());
  return root;
}
