// Scheduled work on Agenda 6 with its PostgreSQL backend on our pool: sweeps, delays, expiries, token refresh.
// Hot paths (forwarding, sending) do not create jobs per item; they run on batch loops that jobs only wake.
import { Agenda, type Job } from 'agenda';
import { PostgresBackend, PostgresJobRepository } from '@agendajs/postgres-backend';
import type pg from 'pg';
import { EventEmitter } from 'node:events';
import type { Logger } from '../observability/logger.js';

export type JobHandler<T> = (data: T, job: Job<T>) => Promise<void>;

export interface Scheduler {
  /** `lockLifetimeMs`: how long a run may go without renewing its lock (done every half of it while it runs) before
   *  another instance may take the job over (default 10 s). */
  define<T = Record<string, never>>(
    name: string,
    handler: JobHandler<T>,
    opts?: { concurrency?: number; lockLifetimeMs?: number },
  ): void;
  /** A recurring job, one run per interval across all instances. */
  every(interval: string | number, name: string): Promise<void>;
  /** A one-off job at `when` (Date or Agenda's "in 5 minutes"). */
  schedule<T>(when: Date | string, name: string, data: T): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

const JOBS_TABLE = 'agenda_jobs';

/**
 * Creates or upgrades Agenda's tables with the library's own statements, run through `query` (one connection holding
 * the schema lock, see store/db.ts migrate). The backend itself never touches the schema (`ensureSchema: false`):
 * several instances doing it at once collide in PostgreSQL's catalogue.
 */
export async function ensureJobSchema(query: (text: string) => Promise<void>): Promise<void> {
  // The repository asks a pool for one client; this one hands it our locked connection.
  const client = { query: async (text: string) => query(text), release: () => {} };
  const lockedPool = { connect: async () => client } as unknown as pg.Pool;
  await new PostgresJobRepository({ pool: lockedPool, tableName: JOBS_TABLE, ensureSchema: true }).connect();
}

export function createScheduler(pool: pg.Pool, log: Logger, instanceName: string, scanSeconds = 2): Scheduler {
  const backend = new PostgresBackend({ pool, tableName: JOBS_TABLE, ensureSchema: false });
  // The backend's LISTEN connection re-emits its errors (e.g. the database restarting) as 'error' events; unheard,
  // Node would end the process. Agenda reconnects by itself, so they are only logged, and only while running: the
  // channel gives its connection back to the pool at stop with its handler still on it, and the embedded server,
  // stopped right after the pool, may end that connection before its goodbye arrives. That is no news at shutdown.
  let stopped = false;
  const channel = backend.notificationChannel;
  if (channel instanceof EventEmitter)
    channel.on('error', (err: Error) => {
      if (!stopped) log.warn({ err }, 'job notification channel error');
    });
  const agenda = new Agenda({
    backend,
    name: instanceName,
    processEvery: scanSeconds * 1000,
    defaultLockLifetime: 5 * 60_000,
  });
  agenda.on('error', (err: Error) => log.error({ err }, 'job scheduler error'));
  agenda.on('fail', (err: Error | string, job: { attrs?: { name?: string }; name?: string }) =>
    log.error({ err, job: job.attrs?.name ?? job.name }, 'job failed'),
  );
  const recurring: [string | number, string][] = [];
  let running = false;
  return {
    define(name, handler, opts) {
      // Agenda keeps a timer of half the lock lifetime alive after every run, which also delays a clean process exit,
      // so the lifetime stays short and a long run (a KPI rebuild, a classification backlog) renews its lock every
      // half lifetime instead: another instance takes the job over only when its runner stopped showing signs of life.
      const lifetime = opts?.lockLifetimeMs ?? 10_000;
      agenda.define(
        name,
        async (job: Job<never>) => {
          const keepAlive = setInterval(() => {
            job.touch().catch((err: unknown) => log.warn({ err, job: name }, 'job lock renewal failed'));
          }, lifetime / 2);
          keepAlive.unref();
          try {
            await handler(job.attrs.data, job);
          } finally {
            clearInterval(keepAlive);
          }
        },
        { concurrency: opts?.concurrency ?? 1, lockLifetime: lifetime },
      );
    },
    async every(interval, name) {
      recurring.push([interval, name]);
      if (running) await agenda.every(interval, name);
    },
    async schedule(when, name, data) {
      await agenda.schedule(when, name, data as never);
    },
    async start() {
      // Running as soon as Agenda is: if a recurring job then fails to register (the database refusing connections),
      // the start fails and stop() must still stop Agenda, which would otherwise poll a closed pool forever.
      await agenda.start();
      running = true;
      for (const [interval, name] of recurring) await agenda.every(interval, name);
    },
    async stop() {
      stopped = true;
      // Agenda connects as soon as it is constructed: wait for that even when it never started, so nothing touches
      // the pool after it is closed.
      await agenda.ready.catch(() => {});
      if (!running) return;
      running = false;
      await agenda
        .drain({ timeout: 5000, closeConnection: false })
        .catch((err: unknown) => log.warn({ err }, 'job drain failed'));
    },
    get running() {
      return running;
    },
  };
}
