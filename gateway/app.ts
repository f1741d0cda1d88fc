// The Koa application: middleware and routes, no listening and no background work (main.ts owns those), so tests
// and several instances can build it freely.
import Koa from 'koa';
import Router from '@koa/router';
import type { GatewayServices } from './services.js';
import type { ChannelRegistry } from './channels/registry.js';
import { problemDetails } from './http/errors.js';
import { requestContext } from './http/request-context.js';
import { cleanRequestTarget } from './http/clean-target.js';
import { healthRoutes, type ReadinessProbe } from './http/health.js';
import { outboundApi } from './outbound/api.js';
import { sandboxCaseStore } from './casestore/sandbox-case-store.js';
import { sandboxOutbox } from './channels/sandbox/outbox.js';
import { attachmentRoutes } from './attachments/routes.js';
import { adminConsole } from './admin/router.js';
import { statsApi } from './stats/routes.js';
import { registrationApi } from './registrations/routes.js';
import { openApiRoutes } from './openapi/routes.js';
import { clientAddress, addressSet } from './http/client-address.js';
import { metricsAccess } from './http/metrics-access.js';
import { staffSession } from './admin/sessions.js';
import { publicRoutes } from './disclosure/routes.js';

export function createApp(s: GatewayServices, channels: ChannelRegistry, probe: ReadinessProbe): Koa {
  // Koa's own proxy support believes X-Forwarded-* from anyone; the client address comes from TRUSTED_PROXIES instead.
  const app = new Koa({ proxy: false });
  app.silent = true; // errors are logged by the problem-details middleware, with the request id
  app.use(clientAddress(addressSet(s.config.TRUSTED_PROXIES)));
  app.use(requestContext(s.log, s.metrics));
  app.use(problemDetails(s.log));
  app.use(cleanRequestTarget());
  const channelRouter = new Router();
  for (const adapter of channels.values()) adapter.mount?.(channelRouter);
  // The channels' routes come first: providers' pushes are most of the traffic, and each router a request passes
  // tests the path against all of its routes. Their paths (/wechat, /sms, /mp, /web) are theirs alone.
  const routers: Router[] = [
    channelRouter,
    healthRoutes(s.db, s.metrics, probe, metricsAccess(s.config.METRICS_TOKEN, 'main')),
    outboundApi(s, channels),
    attachmentRoutes(s.attachments),
  ];
  routers.push(adminConsole(s, channels));
  routers.push(statsApi(s));
  routers.push(registrationApi(s, channels));
  // The mini-program's document goes with its routes: a gateway without them does not describe them.
  const mp = channelRouter.stack.some((layer) => String(layer.path).startsWith('/mp/'));
  routers.push(openApiRoutes(() => s.publicBaseUrl(), { mp }));
  routers.push(publicRoutes(s));
  if (s.config.sandbox.caseStore) routers.push(sandboxCaseStore(s.db, staffSession(s.db, s.config)));
  if (s.config.sandbox.channels.length > 0) routers.push(sandboxOutbox(s.db, staffSession(s.db, s.config)));
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods({ throw: true }));
  return app;
}
