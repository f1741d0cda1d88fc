// The settings every test gateway runs with (silent logs, fast polling, short back-off, so retries happen within a
// test's time), apart from what a test gives. Kept apart from gateway.ts, which loads ava: the test runner prepares the
// template database with a gateway of these settings too.
export const TEST_API_KEY = 'test-core-api-key-0123456789abcdef';
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

export function testGatewaySettings(databaseUrl: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    CORE_API_KEY: TEST_API_KEY,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    WORKER_POLL_MS: '500',
    // No test waits on a scheduled job's timing (the shortest interval is 5 s, and tests run jobs by hand): an idle
    // test gateway's job look-ups were most of its database statements.
    JOBS_SCAN_SECONDS: '10',
    FORWARD_RETRY_MAX_SECONDS: '1',
    CASE_STORE_TIMEOUT_MS: '2000',
    // Staff logins in tests check passwords by the dozen at once; the production cost only makes them slow.
    ADMIN_PASSWORD_COST: '10',
    // A gateway opens its pool's connections at start, when every loop and job wakes at once: 20 there cost the suite's
    // server about 0.6 s of CPU per test gateway (a new PostgreSQL backend costs about 25 ms here). Two of them are
    // held by the LISTEN connections; 6 leaves four for the work and two senders handled at once. Tests that need a
    // bigger pool say so, and some run on the smallest allowed (4).
    DATABASE_POOL_SIZE: '6',
    // A draft's confirmation goes at once, so tests see every message in a fixed order; the held confirmation, dropped
    // when the receipt comes first, has its own tests (test/conversation/held-confirmation.test.ts).
    CONVERSATION_CONFIRM_HOLD_SECONDS: '0',
    // Likewise the notice that a draft was started (its own tests in held-confirmation.test.ts too).
    CONVERSATION_NOTICE_HOLD_SECONDS: '0',
    ...env,
  };
}
