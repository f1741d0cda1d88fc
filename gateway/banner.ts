// The start-up banner: where the gateway listens, and — loudly — everything that runs in sandbox mode.
import type { Config } from '../config/settings.js';
import type { Logger } from './observability/logger.js';

export function banner(
  log: Logger,
  config: Config,
  info: {
    port: number;
    embedded: boolean;
    developmentApiKey?: string;
    bootstrapAdmin?: { username: string; password?: string } | null;
    metricsUrl?: string;
    pushLines?: string[];
  },
): void {
  const lines = [
    `letter gateway listening on http://${config.HOST}:${info.port} (${config.NODE_ENV})`,
    `database: ${info.embedded ? `embedded PostgreSQL, data in ${config.DATA_DIR}` : 'DATABASE_URL'}`,
    `channels: ${config.CHANNELS.join(', ')}`,
  ];
  if (!config.BACKGROUND_WORK)
    lines.push('background work: off — this instance only answers HTTP; another on the database must forward and send');
  const sandboxed: string[] = [];
  if (config.sandbox.caseStore) sandboxed.push(`case store → built-in reference case store at /sandbox/case-store`);
  for (const ch of config.sandbox.channels)
    sandboxed.push(
      `${ch} → messages are recorded, not sent (console: 沙箱; GET /sandbox/outbox with a console session)`,
    );
  if (sandboxed.length > 0) lines.push('', '*** SANDBOX MODE ***', ...sandboxed.map((s) => `  ${s}`));
  lines.push(`staff console: http://${config.HOST}:${info.port}/admin/`);
  if (info.metricsUrl)
    lines.push(`metrics: ${info.metricsUrl}/metrics${config.METRICS_TOKEN ? ' (bearer METRICS_TOKEN)' : ''}`);
  else
    lines.push(
      config.METRICS_TOKEN
        ? 'metrics: /metrics on this port, bearer METRICS_TOKEN'
        : 'metrics: off (set METRICS_PORT or METRICS_TOKEN)',
    );
  if (info.bootstrapAdmin?.password) {
    lines.push(
      '',
      `first admin account created — user: ${info.bootstrapAdmin.username}  password: ${info.bootstrapAdmin.password}`,
      '(shown only this once; change it after logging in)',
    );
  } else if (info.bootstrapAdmin)
    lines.push(
      '',
      `first admin account created — user: ${info.bootstrapAdmin.username}, password from ADMIN_BOOTSTRAP_PASSWORD`,
    );
  if (info.developmentApiKey)
    lines.push('', `development API key for /api/v1 (revoked at the next start): ${info.developmentApiKey}`);
  if (info.pushLines && info.pushLines.length > 0) lines.push('', ...info.pushLines);
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const text = ['', '='.repeat(width), ...lines.map((l) => `  ${l}`), '='.repeat(width), ''].join('\n');
  // Printed to stderr as plain text so it stands out from the JSON log lines.
  process.stderr.write(text + '\n');
  log.info({ sandbox: config.sandbox, port: info.port, backgroundWork: config.BACKGROUND_WORK }, 'gateway started');
}
