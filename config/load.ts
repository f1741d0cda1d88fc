// Reads the environment once, validates it against the declared settings, and returns one frozen Config; every
// problem is collected so a bad start-up says everything that is wrong at once.
import { settings, type Config, type ChannelName, type SettingName } from './settings.js';
import { isLoopbackHost } from '../gateway/lib/address-rules.js';
import { channelConfigRules } from '../gateway/channels/settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const development =
    (env.NODE_ENV === undefined || env.NODE_ENV === '' ? settings.NODE_ENV.default : env.NODE_ENV) === 'development';
  for (const [name, s] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
    const fallback = development && 'developmentDefault' in s ? s.developmentDefault : s.default;
    const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
    const result = s.schema.safeParse(raw);
    if (result.success) values[name] = result.data;
    else {
      const shown = raw === undefined ? 'missing' : s.secret ? 'value hidden' : JSON.stringify(raw);
      problems.push(`${name} (${shown}): ${result.error.issues.map((i) => i.message).join('; ')}`);
    }
  }
  if (problems.length === 0) problems.push(...crossChecks(values as Omit<Config, 'sandbox'>));
  if (problems.length > 0) throw new ConfigError(problems);
  const base = values as Omit<Config, 'sandbox'>;
  return deepFreeze({ ...base, sandbox: sandboxOf(base) });
}

/** A channel's credential settings (declared in its folder) with whether each is set. */
const credentialsOf = (c: Omit<Config, 'sandbox'>, ch: ChannelName) =>
  channelConfigRules[ch].credentials.map((name) => ({ name, set: (c as Record<string, unknown>)[name] !== undefined }));

function sandboxOf(c: Omit<Config, 'sandbox'>): Config['sandbox'] {
  return {
    caseStore: c.CASE_STORE_URL === undefined,
    channels: c.CHANNELS.filter((ch) => credentialsOf(c, ch).some((k) => !k.set)),
  };
}

function crossChecks(c: Omit<Config, 'sandbox'>): string[] {
  const problems: string[] = [];
  if (c.CASE_STORE_URL && !c.CASE_STORE_SECRET)
    problems.push('CASE_STORE_SECRET is required when CASE_STORE_URL is set');
  for (const ch of c.CHANNELS) {
    const credentials = credentialsOf(c, ch);
    const missing = credentials.filter((k) => !k.set).map((k) => k.name);
    if (missing.length > 0 && missing.length < credentials.length)
      problems.push(`channel ${ch} is partly configured: also set ${missing.join(', ')}`);
  }
  if (c.NODE_ENV === 'production') {
    const sandbox = sandboxOf(c);
    if (sandbox.caseStore)
      problems.push('NODE_ENV=production refuses the sandbox case store: set CASE_STORE_URL and CASE_STORE_SECRET');
    for (const ch of sandbox.channels)
      problems.push(`NODE_ENV=production refuses a sandboxed channel: configure ${ch} or remove it from CHANNELS`);
    if (!c.CORE_API_KEY)
      problems.push('NODE_ENV=production needs CORE_API_KEY (or keys created by staff) — set CORE_API_KEY');
    if (!c.PII_ENCRYPTION_KEY)
      problems.push(
        'NODE_ENV=production needs PII_ENCRYPTION_KEY (32 random bytes, e.g. `openssl rand -hex 32`) to encrypt personal data at rest',
      );
    for (const ch of c.CHANNELS) problems.push(...(channelConfigRules[ch].productionProblems?.(c) ?? []));
    if (c.METRICS_PORT !== undefined && !c.METRICS_TOKEN && !isLoopbackHost(c.METRICS_HOST)) {
      problems.push(
        `NODE_ENV=production refuses an open metrics endpoint on ${c.METRICS_HOST}: set METRICS_TOKEN or bind METRICS_HOST to 127.0.0.1`,
      );
    }
  }
  return problems;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Values safe to print: secrets replaced. */
export function describeConfig(c: Config): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(settings) as SettingName[]).map((k) => [k, settings[k].secret && c[k] !== undefined ? '***' : c[k]]),
  );
}
