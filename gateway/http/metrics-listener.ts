// The separate listener on METRICS_PORT (bound to METRICS_HOST, 127.0.0.1 by default): /metrics, /healthz and
// /readyz for the monitoring agent and probes, away from the public port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { problemDetails } from './errors.js';
import { healthRoutes, type ReadinessProbe } from './health.js';
import { metricsAccess } from './metrics-access.js';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(
  config: Config,
  db: Db,
  metrics: Metrics,
  probe: ReadinessProbe,
  log: Logger,
): Promise<MetricsListener | undefined> {
  if (config.METRICS_PORT === undefined) return undefined;
  const app = new Koa();
  app.silent = true;
  app.use(problemDetails(log));
  const router = healthRoutes(db, metrics, probe, metricsAccess(config.METRICS_TOKEN, 'metrics'));
  app.use(router.routes()).use(router.allowedMethods({ throw: true }));
  const handle = app.callback();
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.METRICS_PORT, config.METRICS_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.METRICS_HOST.includes(':') ? `[${config.METRICS_HOST}]` : config.METRICS_HOST;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
