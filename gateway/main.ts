// The composition root: builds every service once from the validated configuration, starts the HTTP server and the
// background work, and stops them in order on SIGTERM/SIGINT. `startGateway` is also what tests and benchmarks use.
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { loadConfig, ConfigError } from '../config/load.js';
import { withEnvFile } from '../config/env-file.js';
import type { Config } from '../config/settings.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { registerBacklogGauges } from './observability/backlog.js';
import { startEmbeddedPostgres, EmbeddedPostgresError, type EmbeddedDatabase } from './store/embedded-postgres.js';
import { migrate, openStore } from './store/db.js';
import { clearStaleStatisticsSql, staleStatistics } from './store/stale-statistics.js';
import { createWakeup } from './jobs/wakeup.js';
import { createScheduler } from './jobs/scheduler.js';
import { createCaseStoreClient } from './casestore/client.js';
import { SANDBOX_CASE_STORE_PATH, SANDBOX_CASE_STORE_SECRET } from './casestore/sandbox-case-store.js';
import { createForwarder } from './casestore/forwarder.js';
import { createEventSender } from './casestore/events.js';
import { createCaseStoreRecovery } from './casestore/recovery.js';
import { sweepSurveys } from './surveys/surveys.js';
import { createDispatcher } from './outbound/dispatcher.js';
import { createIntake } from './letters/intake.js';
import { scheduleClassifier } from './classification/start.js';
import { classifierForIntake } from './classification/at-intake.js';
import { scheduleKpiFacts } from './figures/jobs.js';
import { createConversation } from './conversation/index.js';
import { cleanupConversation } from './conversation/retention.js';
import { purgeQueryBudgets } from './letters/progress-query.js';
import { createTemplateStore } from './templates/store.js';
import { readDefaultTemplates, readTemplatesFile } from './templates/file-format.js';
import { createChannels } from './channels/registry.js';
import { createApp } from './app.js';
import { ensureApiKey, renewDevelopmentApiKey } from './http/api-auth.js';
import { startMetricsListener } from './http/metrics-listener.js';
import type { GatewayServices } from './services.js';
import type { BatchLoop } from './jobs/batch-loop.js';
import { banner } from './banner.js';
import { createAttachmentStore } from './attachments/store.js';
import { sharedSecret } from './store/secrets.js';
import { ensureBootstrapAdmin } from './admin/accounts.js';
import { scheduleStaffCleanup } from './admin/cleanup.js';
import { runRetention } from './privacy/retention.js';
import {
  pushCredentialLines,
  pushCredentials,
  withDevelopmentPushCredentials,
  writePushCredentials,
  type PushCredentials,
} from './channels/sandbox/push-credentials.js';
import { piiServiceFor } from './privacy/pii-service.js';
import { sealPiiIds } from './privacy/pii-seal.js';
import { scheduleWarnings } from './warnings/index.js';
import { scheduleDisclosure } from './disclosure/index.js';
import { scheduleMonthlyReport } from './report/index.js';

export interface RunningGateway {
  url: string;
  services: GatewayServices;
  forwarder: BatchLoop;
  dispatcher: BatchLoop;
  /** Present when this start created one (development without CORE_API_KEY). */
  developmentApiKey?: string;
  /** The METRICS_PORT listener's base URL, when one is configured. */
  metricsUrl?: string;
  /** Present when this start created the first admin account. */
  bootstrapAdmin?: { username: string; password?: string };
  /** Present when this start generated development push credentials (development, sandboxed official account or SMS). */
  pushCredentials?: PushCredentials;
  stop(): Promise<void>;
}

export async function startGateway(
  config: Config,
  opts: { log?: Logger; quiet?: boolean } = {},
): Promise<RunningGateway> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const cleanups: (() => Promise<void>)[] = [];
  let server: Server | undefined;
  const stopAll = async () => {
    // First stop taking requests and let in-flight ones finish, then stop background work, then the database.
    if (server) await closeServer(server, config.SHUTDOWN_GRACE_MS);
    server = undefined;
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.DATA_DIR, {
        log: (line) => log.debug({ postgres: line }),
        onOrphan: (pid) =>
          log.warn(
            { postgresPid: pid },
            'stopping the embedded PostgreSQL left running by a gateway that ended without stopping it',
          ),
      });
      cleanups.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    const store = openStore(
      databaseUrl,
      config.DATABASE_POOL_SIZE,
      (err) => log.warn({ err }, 'idle database connection lost'),
      { preparedStatements: config.DATABASE_PREPARED_STATEMENTS },
    );
    cleanups.push(() => store.close());
    const applied = await migrate(store.db);
    if (applied.length > 0) log.info({ applied }, 'database migrated');
    const stale = await staleStatistics(store.db);
    if (stale.length > 0)
      log.warn(
        { columns: stale, clearAsSuperuser: clearStaleStatisticsSql },
        'planner statistics are left on queue-state columns (a server before PostgreSQL 18, where only a superuser can clear them): ' +
          'a backlog then makes the claims read their whole queue once per row claimed; run clearAsSuperuser once in this database as a superuser',
      );
    const development = await withDevelopmentPushCredentials(store.db, config);
    config = development.config;

    let port = config.PORT;
    const publicBaseUrl = () => config.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
    const selfUrl = () => `http://127.0.0.1:${port}`;
    const templates = createTemplateStore(store.db);
    await templates.seed(readDefaultTemplates());
    if (config.TEMPLATES_FILE) {
      for (const t of readTemplatesFile(config.TEMPLATES_FILE).templates) await templates.save(t, 'file');
    }
    const bootstrapAdmin = await ensureBootstrapAdmin(store.db, config);
    if (config.CORE_API_KEY) await ensureApiKey(store.db, config.CORE_API_KEY, 'CORE_API_KEY (bootstrap)');
    // The previous start's development key stops working now; a new one only where no key is configured, never in production.
    const developmentApiKey = await renewDevelopmentApiKey(store.db, {
      create: !config.CORE_API_KEY && config.NODE_ENV !== 'production',
    });

    const metrics = createMetrics();
    registerBacklogGauges(metrics, store.db);
    const wakeup = createWakeup(store.pool, (err) => log.warn({ err }, 'wake-up channel error'));
    const scheduler = createScheduler(store.pool, log, `${hostname()}-${process.pid}`, config.JOBS_SCAN_SECONDS);
    cleanups.push(() => scheduler.stop());
    const caseStore = createCaseStoreClient({
      baseUrl: config.CASE_STORE_URL ? () => config.CASE_STORE_URL! : () => selfUrl() + SANDBOX_CASE_STORE_PATH,
      secret: config.CASE_STORE_SECRET ?? SANDBOX_CASE_STORE_SECRET,
      timeoutMs: config.CASE_STORE_TIMEOUT_MS,
      maxSockets: config.FORWARD_CONCURRENCY,
    });
    const attachments = createAttachmentStore(store.db, {
      secret: config.ATTACHMENT_URL_SECRET ?? (await sharedSecret(store.db, 'attachment-url')),
      ttlSeconds: config.ATTACHMENT_URL_TTL_SECONDS,
      maxBytes: config.ATTACHMENT_MAX_BYTES,
      publicBaseUrl,
    });
    const pii = await piiServiceFor(store.db, config);
    // Phones a migration moved out of other tables are still in clear in pii_ids: sealed before anything is served.
    await sealPiiIds(store.db, pii, { batchSize: config.RETENTION_BATCH_SIZE });
    const intake = createIntake(
      store.db,
      (letter) => {
        metrics.lettersReceived.inc({ channel: letter.channel });
        log.info({ letterId: letter.id, channel: letter.channel }, 'letter received');
        wakeup.wake('letters');
      },
      attachments,
      pii,
      classifierForIntake(store.db, config, log),
    );
    const conversation = createConversation({ config, db: store.db, log, metrics, intake, wakeup, attachments, pii });
    const services: GatewayServices = {
      config,
      db: store.db,
      pool: store.pool,
      log,
      metrics,
      intake,
      templates,
      wakeup,
      scheduler,
      caseStore,
      attachments,
      conversation,
      pii,
      publicBaseUrl,
      selfUrl,
    };

    const channels = createChannels(services);
    const recovery = createCaseStoreRecovery({ db: store.db, log, probeMs: config.CASE_STORE_PROBE_SECONDS * 1000 });
    const forwarder = createForwarder({
      db: store.db,
      client: caseStore,
      metrics,
      log,
      concurrency: config.FORWARD_CONCURRENCY,
      batchSize: config.FORWARD_BATCH_SIZE,
      pollMs: config.WORKER_POLL_MS,
      timeoutMs: config.CASE_STORE_TIMEOUT_MS,
      retryMaxSeconds: config.FORWARD_RETRY_MAX_SECONDS,
      stuckAfterSeconds: config.FORWARD_STUCK_AFTER_SECONDS,
      onAccepted: () => wakeup.wake('deliveries'),
      recovery,
      retryBaseMs: config.FORWARD_RETRY_FIRST_MS,
      pii,
    });
    const dispatcher = createDispatcher({
      db: store.db,
      channels,
      templates,
      metrics,
      log,
      concurrency: config.DISPATCH_CONCURRENCY,
      batchSize: config.DISPATCH_BATCH_SIZE,
      pollMs: config.WORKER_POLL_MS,
      retryDeadlineSeconds: config.DELIVERY_RETRY_DEADLINE_SECONDS,
      retryMaxSeconds: config.DELIVERY_RETRY_MAX_SECONDS,
      leaseSeconds: config.DISPATCH_LEASE_SECONDS,
      onStatusChange: () => wakeup.wake('events'),
      pii,
      publicBaseUrl,
    });
    const events = createEventSender({
      db: store.db,
      client: caseStore,
      log,
      pollMs: config.WORKER_POLL_MS,
      retryMaxSeconds: config.FORWARD_RETRY_MAX_SECONDS,
      retryBaseMs: config.FORWARD_RETRY_FIRST_MS,
      recovery,
      batchSize: config.CASE_EVENT_BATCH_SIZE,
      leaseSeconds: config.CASE_EVENT_LEASE_SECONDS,
      concurrency: config.CASE_EVENT_CONCURRENCY,
    });
    recovery.onRearmed(() => {
      wakeup.wake('letters');
      wakeup.wake('events');
    });
    wakeup.on('events', () => events.wake());
    wakeup.on('letters', () => forwarder.wake());
    wakeup.on('deliveries', () => dispatcher.wake());

    scheduler.define('sweep', async () => {
      // Re-wakes every instance's loops in case a wake-up was lost between a commit and its NOTIFY.
      wakeup.wake('letters');
      wakeup.wake('deliveries');
      wakeup.wake('events');
      wakeup.wake('conversation');
      wakeup.wake('media');
    });
    scheduler.define('cleanup', async () => {
      await sql`delete from idempotency_records where created_at < now() - make_interval(hours => ${config.IDEMPOTENCY_RETENTION_HOURS})`.execute(
        store.db,
      );
      await cleanupConversation(store.db, config.RETENTION_CONVERSATION_DAYS);
      await purgeQueryBudgets(store.db);
    });
    scheduler.define('surveys', async () => {
      const r = await sweepSurveys(store.db);
      if (r.reminded > 0) wakeup.wake('deliveries');
      if (r.expired > 0) wakeup.wake('events');
    });
    await scheduler.every(`${config.SWEEP_INTERVAL_SECONDS} seconds`, 'sweep');
    await scheduler.every(`${config.SURVEY_SWEEP_INTERVAL_SECONDS} seconds`, 'surveys');
    await scheduler.every(`${config.HOUSEKEEPING_INTERVAL_SECONDS} seconds`, 'cleanup');
    // Personal data lives only as long as its retention setting says; batches keep each statement short, and two
    // runs at once (a long run taken over by another instance) only skip each other's locked rows.
    scheduler.define('retention', async () => {
      const counts = await runRetention(store.db, config, await sharedSecret(store.db, 'pii-pseudonym'));
      if (Object.values(counts).some((n) => n > 0)) log.info({ retention: counts }, 'retention applied');
    });
    await scheduler.every(`${config.HOUSEKEEPING_INTERVAL_SECONDS} seconds`, 'retention');
    await scheduleStaffCleanup(scheduler, store.db, config.ADMIN_SESSION_IDLE_MINUTES);
    for (const ch of channels.values()) ch.defineJobs?.(scheduler);
    await scheduleKpiFacts(scheduler, store.db, config.KPI_REFRESH_INTERVAL);
    await scheduleClassifier(services);
    await scheduleWarnings(services);
    await scheduleDisclosure(services);
    await scheduleMonthlyReport(services);

    // An instance that leaves the background work to others is ready once it has started: it has nothing to run.
    const probe = { workersRunning: () => workersStarted && (!config.BACKGROUND_WORK || scheduler.running) };
    const app = createApp(services, channels, probe);
    const handle = app.callback();
    const http = createServer((req, res) => void handle(req, res));
    http.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.PORT, config.HOST, () => resolve());
    });
    server = http;
    port = (http.address() as AddressInfo).port;
    const metricsListener = await startMetricsListener(config, store.db, metrics, probe, log);
    if (metricsListener) cleanups.push(() => metricsListener.close());

    let workersStarted = false;
    await wakeup.start();
    cleanups.push(() => wakeup.stop());
    // Without background work the instance still wakes the others' loops (NOTIFY) when it stores something.
    if (config.BACKGROUND_WORK) {
      await scheduler.start();
      forwarder.start();
      dispatcher.start();
      events.start();
      conversation.start();
      recovery.start();
      cleanups.push(() =>
        Promise.all([forwarder.stop(), dispatcher.stop(), events.stop(), conversation.stop(), recovery.stop()]).then(
          () => undefined,
        ),
      );
    }
    for (const ch of channels.values()) {
      await ch.start?.();
      cleanups.push(async () => ch.stop?.());
    }
    workersStarted = true;
    forwarder.wake();
    dispatcher.wake();

    let pushes: PushCredentials | undefined;
    let pushLines: string[] = [];
    if (development.generated) {
      pushes = pushCredentials(config, selfUrl());
      pushLines = pushCredentialLines(pushes, writePushCredentials(config.DATA_DIR, pushes));
    }
    if (!opts.quiet)
      banner(log, config, {
        port,
        embedded: embedded !== undefined,
        developmentApiKey,
        bootstrapAdmin,
        metricsUrl: metricsListener?.url,
        pushLines,
      });
    return {
      url: selfUrl(),
      services,
      forwarder,
      dispatcher,
      developmentApiKey,
      metricsUrl: metricsListener?.url,
      bootstrapAdmin: bootstrapAdmin ?? undefined,
      pushCredentials: pushes,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Stops taking connections, lets in-flight requests finish (up to `graceMs`), then closes idle keep-alive sockets. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    // A keep-alive connection busy when the close began goes idle once its request is answered, and would then stay
    // open until the grace ran out: idle connections are closed again as soon as they become idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  let config: Config;
  const envFile = withEnvFile(process.env);
  try {
    config = loadConfig(envFile.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  if (envFile.read.length > 0) log.info({ settings: envFile.read }, 'settings read from .env');
  const gateway = await startGateway(config, { log }).catch((err: unknown) => {
    // One line that says why; the stack only for the unexpected.
    const known = err instanceof EmbeddedPostgresError;
    log.fatal(known ? {} : { err }, `gateway failed to start: ${startFailure(err)}`);
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The reason of a failed start in words an operator can act on. */
function startFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return `port ${(err as NodeJS.ErrnoException & { port?: number }).port ?? ''} is already in use: stop what listens there or set PORT`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND')
    return `the database cannot be reached (${err.message}): check DATABASE_URL`;
  if (code === '28P01') return 'the database refused the password in DATABASE_URL';
  return err.message || err.name;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
