// Starts the real gateway (HTTP server, loops, jobs) on a free port against a test database, with settings for
// tests: silent logs, fast polling and short back-off so retries happen within a test's time.
import { sql } from 'kysely';
import { loadConfig } from '../../config/load.js';
import { startGateway, type RunningGateway } from '../../gateway/main.js';
import { createLogger } from '../../gateway/observability/logger.js';
import { createTestDatabase } from './database.js';
import { TEST_API_KEY, TEST_METRICS_TOKEN, testGatewaySettings } from './gateway-settings.js';

export { TEST_API_KEY, TEST_METRICS_TOKEN };

export interface TestGateway extends RunningGateway {
  databaseUrl: string;
  /** fetch against the gateway, with the case store's API key unless headers say otherwise. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export async function startTestGateway(env: Record<string, string> = {}, databaseUrl?: string): Promise<TestGateway> {
  const url = databaseUrl ?? (await createTestDatabase());
  const config = loadConfig(testGatewaySettings(url, env));
  const gw = await startGateway(config, { quiet: true, log: createLogger(config.LOG_LEVEL) });
  return {
    ...gw,
    databaseUrl: url,
    api(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_API_KEY}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(gw.url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
  };
}

/** The Prometheus text of /metrics on the main port, read with the tests' METRICS_TOKEN. */
export async function readMetrics(gw: TestGateway): Promise<string> {
  const r = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
  if (!r.ok) throw new Error(`/metrics answered ${r.status}`);
  return r.text();
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the case store has accepted the letter, and gives its serial. */
export function serialOf(db: RunningGateway['services']['db'], letterId: string, timeoutMs = 60_000): Promise<string> {
  return eventually(
    async () =>
      (await db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirst())?.serial ??
      undefined,
    timeoutMs,
    `the serial of letter ${letterId}`,
  );
}

/**
 * Keeps a recurring job from running in this gateway from now on, and waits for a run already under way (the one every
 * gateway starts with) to end: for a test that does the same work by hand and counts what its own call did.
 */
export async function holdJob(gw: TestGateway, name: string): Promise<void> {
  const db = gw.services.db;
  // Agenda's own table, outside the gateway's schema types.
  await sql`update agenda_jobs set disabled = true where name = ${name}`.execute(db);
  await eventually(
    async () =>
      (await sql`select 1 from agenda_jobs where name = ${name} and locked_at is not null`.execute(db)).rows.length > 0
        ? undefined
        : true,
    30_000,
    `the running ${name} job to end`,
  );
}
