// The retention job: every kind of personal data has its own lifetime (settings RETENTION_* and AUDIT_RETENTION_DAYS),
// and this job enforces them in small batches — raw provider payloads and message bodies purged, sandbox recordings
// and old attachments deleted, closed letters pseudonymised (content and statistics kept), old audit entries removed.
// Each batch is one short statement over rows claimed with SKIP LOCKED, so instances and live traffic never wait.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Config } from '../../config/settings.js';
import { pseudonymiseLetters } from './pseudonym.js';

export type RetentionConfig = Pick<
  Config,
  | 'AUDIT_RETENTION_DAYS'
  | 'RETENTION_RAW_PAYLOAD_DAYS'
  | 'RETENTION_MESSAGE_BODY_DAYS'
  | 'RETENTION_SANDBOX_DAYS'
  | 'RETENTION_PSEUDONYMISE_AFTER_DAYS'
  | 'RETENTION_ATTACHMENT_DAYS'
  | 'RETENTION_BATCH_SIZE'
>;

export type RetentionCounts = Record<string, number>;

/** Runs `step` until a batch comes back smaller than the batch size (or a safety cap of batches is reached). */
async function drain(step: () => Promise<number>, batch: number, maxBatches = 1000): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await step();
    total += n;
    if (n < batch) break;
  }
  return total;
}

const affected = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);

export async function runRetention(db: Db, c: RetentionConfig, salt: string): Promise<RetentionCounts> {
  const n = c.RETENTION_BATCH_SIZE;
  const days = (d: number) => sql`now() - make_interval(days => ${d})`;
  const raw = days(c.RETENTION_RAW_PAYLOAD_DAYS);
  const counts: RetentionCounts = {};

  counts.sourcePayloads = await drain(
    async () =>
      affected(
        await sql`
    update source_messages s set payload = '{}'::jsonb, payload_purged_at = now()
    where s.id in (select id from source_messages where payload_purged_at is null and received_at < ${raw}
                   order by received_at limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );

  // The SMS provider's raw items are only needed for dedup (hours) and provenance: the letter keeps what matters.
  for (const table of ['sms_uplinks', 'sms_reports'] as const) {
    counts[table] = await drain(
      async () =>
        affected(
          await sql`
      delete from ${sql.table(table)} where id in (select id from ${sql.table(table)} where received_at < ${raw}
                                                   order by received_at limit ${n} for update skip locked)`.execute(db),
        ),
      n,
    );
  }
  counts.wechatOaEvents = await drain(
    async () =>
      affected(
        await sql`
    delete from wechat_oa_events where id in (select id from wechat_oa_events where processed_at is not null and received_at < ${raw}
                                              limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );
  counts.mpUploads = await drain(
    async () =>
      affected(
        await sql`
    delete from mp_uploads where id in (select id from mp_uploads where created_at < ${raw} limit ${n} for update skip locked)`.execute(
          db,
        ),
      ),
    n,
  );

  counts.messageBodies = await drain(
    async () =>
      affected(
        await sql`
    update deliveries d set variables = '{}'::jsonb, rendered = null, body_purged_at = now()
    where d.id in (select id from deliveries where body_purged_at is null and status not in ('queued', 'sending')
                     and created_at < ${days(c.RETENTION_MESSAGE_BODY_DAYS)}
                   order by created_at limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );

  counts.sandboxProviderCalls = await drain(
    async () =>
      affected(
        await sql`
    delete from sandbox_provider_calls where id in (select id from sandbox_provider_calls where created_at < ${days(c.RETENTION_SANDBOX_DAYS)}
                                                    order by created_at limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );
  counts.sandboxMessages = await drain(
    async () =>
      affected(
        await sql`
    delete from sandbox_messages where id in (select id from sandbox_messages where created_at < ${days(c.RETENTION_SANDBOX_DAYS)}
                                              order by created_at limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );

  counts.attachments = await drain(
    async () =>
      affected(
        await sql`
    delete from attachments a where a.id in (
      select id from attachments x where x.created_at < ${days(c.RETENTION_ATTACHMENT_DAYS)}
        and not exists (select 1 from mp_uploads u where u.attachment_id = x.id)
      order by created_at limit ${n} for update skip locked)`.execute(db),
      ),
    n,
  );

  counts.lettersPseudonymised = await drain(async () => {
    return db.transaction().execute(async (tx) => {
      const ids = await sql<{ id: string }>`
        select id from letters where status = 'closed' and pseudonymised_at is null
          and status_changed_at < ${days(c.RETENTION_PSEUDONYMISE_AFTER_DAYS)}
        order by status_changed_at limit ${n} for update skip locked`.execute(tx);
      return pseudonymiseLetters(
        tx,
        salt,
        ids.rows.map((r) => r.id),
      );
    });
  }, n);

  // The database itself refuses to delete entries younger than 180 days, whatever this setting says.
  counts.auditEntries = await drain(
    async () =>
      affected(
        await sql`
    delete from audit_log where id in (select id from audit_log where at < ${days(c.AUDIT_RETENTION_DAYS)}
                                       order by at limit ${n})`.execute(db),
      ),
    n,
  );
  return counts;
}
