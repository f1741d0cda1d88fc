// New alerts to a WeCom (企业微信) group robot: `POST <webhook>` with a markdown message; the robot answers HTTP 200
// with `{ errcode, errmsg }` (0: sent). Rows are claimed with a lease (skip locked), so instances never post one alert
// twice at once; busy answers (45009: over 20 messages a minute, -1: system busy) and network trouble are retried
// with back-off, any other errcode (93000: invalid webhook URL, 40008 …) stops it as failed for staff to see.
// https://developer.work.weixin.qq.com/document/path/91770
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';
import { backoffMs } from '../jobs/backoff.js';
import { say } from './messages.zh-CN.js';
import type { AlertRow } from './alerts.js';

const RETRYABLE = new Set([-1, 45009]);
const MAX_ATTEMPTS = 20;

type Due = Pick<AlertRow, 'id' | 'title' | 'letter_count' | 'citizen_count' | 'first_at' | 'last_at'> & {
  wecom_attempts: number;
};

const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export function wecomMarkdown(a: Due): string {
  return [
    `### ${say('warnings.wecom.heading')}`,
    a.title,
    `> ${say('warnings.wecom.letters', { letters: a.letter_count, citizens: a.citizen_count })}`,
    `> ${say('warnings.wecom.span', { first: local(a.first_at), last: local(a.last_at) })}`,
    say('warnings.wecom.link'),
  ].join('\n');
}

/** Sends the alerts due for the robot; returns how many were sent. */
export async function notifyWecom(db: Db, webhookUrl: string, log: Logger, timeoutMs = 10_000): Promise<number> {
  const due = await sql<Due>`
    update warning_alerts set wecom_attempts = wecom_attempts + 1, wecom_next_at = now() + interval '2 minutes'
    where id in (select id from warning_alerts where wecom_state = 'pending' and wecom_next_at <= now()
                 order by raised_at limit 20 for update skip locked)
    returning id, title, letter_count, citizen_count, first_at, last_at, wecom_attempts`.execute(db);
  let sent = 0;
  for (const a of due.rows) {
    let outcome: { ok: true } | { ok: false; retry: boolean; error: string };
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: wecomMarkdown(a) } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) outcome = { ok: false, retry: res.status >= 500 || res.status === 429, error: `HTTP ${res.status}` };
      else {
        const body = (await res.json().catch(() => null)) as { errcode?: unknown; errmsg?: unknown } | null;
        const code = typeof body?.errcode === 'number' ? body.errcode : NaN;
        outcome =
          code === 0
            ? { ok: true }
            : {
                ok: false,
                retry: RETRYABLE.has(code) || Number.isNaN(code),
                error: `errcode ${String(body?.errcode)}: ${typeof body?.errmsg === 'string' ? body.errmsg : ''}`,
              };
      }
    } catch (err) {
      outcome = { ok: false, retry: true, error: err instanceof Error ? err.message : String(err) };
    }
    if (outcome.ok) {
      sent++;
      await sql`update warning_alerts set wecom_state = 'sent', wecom_error = null where id = ${a.id}`.execute(db);
    } else if (outcome.retry && a.wecom_attempts < MAX_ATTEMPTS) {
      const at = new Date(Date.now() + backoffMs(a.wecom_attempts, 3600_000, 5000));
      await sql`update warning_alerts set wecom_next_at = ${at}, wecom_error = ${outcome.error} where id = ${a.id}`.execute(
        db,
      );
    } else {
      log.warn({ alertId: a.id, error: outcome.error }, 'WeCom robot refused an alert');
      await sql`update warning_alerts set wecom_state = 'failed', wecom_error = ${outcome.error} where id = ${a.id}`.execute(
        db,
      );
    }
  }
  return sent;
}
