// Storing an alert once: the insert on its unique key decides (concurrent checks on several instances raise it once);
// the one insert that wins also queues the `alert.raised` event for the case store and, when a WeCom robot is
// configured, marks the alert for it — all in one transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { queueCaseEvent } from '../casestore/events.js';
import { uuidv7 } from '../letters/ids.js';

export type AlertKind = 'spike' | 'cluster';

export interface NewAlert {
  kind: AlertKind;
  dedupKey: string;
  title: string;
  detail: Record<string, unknown>;
  letterCount: number;
  citizenCount: number;
  firstLetterId: string | null;
  lastLetterId: string | null;
  firstAt: Date;
  lastAt: Date;
  /** Letters the alert groups (clusters); a letter already grouped by another alert stays there. */
  letterIds?: string[];
}

export interface AlertRow {
  id: string;
  kind: AlertKind;
  title: string;
  detail: Record<string, unknown>;
  letter_count: number;
  citizen_count: number;
  first_letter_id: string | null;
  last_letter_id: string | null;
  first_at: Date;
  last_at: Date;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  wecom_state: string;
  wecom_error: string | null;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The alert's id when this call raised it; null when an alert with its key already existed. */
export async function raiseAlert(
  trx: Transaction<Database>,
  a: NewAlert,
  o: { wecom: boolean },
): Promise<string | null> {
  const id = uuidv7();
  const r = await sql<{ id: string }>`
    insert into warning_alerts (id, kind, dedup_key, title, detail, letter_count, citizen_count, first_letter_id,
                                last_letter_id, first_at, last_at, wecom_state)
    values (${id}, ${a.kind}, ${a.dedupKey}, ${a.title}, ${JSON.stringify(a.detail)}, ${a.letterCount}, ${a.citizenCount},
            ${a.firstLetterId}, ${a.lastLetterId}, ${a.firstAt}, ${a.lastAt}, ${o.wecom ? 'pending' : 'none'})
    on conflict (dedup_key) do nothing
    returning id`.execute(trx);
  if (r.rows.length === 0) return null;
  if (a.letterIds && a.letterIds.length > 0) await linkLetters(trx, id, a.letterIds);
  const serials = await sql<{ id: string; serial: string | null }>`
    select id, serial from letters where id in (${a.firstLetterId}, ${a.lastLetterId})`.execute(trx);
  const serialOf = (lid: string | null) => serials.rows.find((x) => x.id === lid)?.serial ?? null;
  await queueCaseEvent(trx, {
    letterId: null,
    type: 'alert.raised',
    data: {
      alertId: id,
      kind: a.kind,
      title: a.title,
      letterCount: a.letterCount,
      citizenCount: a.citizenCount,
      firstLetterId: a.firstLetterId,
      firstSerial: serialOf(a.firstLetterId),
      lastLetterId: a.lastLetterId,
      lastSerial: serialOf(a.lastLetterId),
      firstAt: a.firstAt.toISOString(),
      lastAt: a.lastAt.toISOString(),
      ...a.detail,
    },
  });
  return id;
}

export async function linkLetters(db: Executor, alertId: string, letterIds: string[]): Promise<void> {
  await sql`
    insert into warning_alert_letters (alert_id, letter_id)
    select ${alertId}, x from unnest(${letterIds}::uuid[]) x
    on conflict (letter_id) do nothing`.execute(db);
}

/** Recounts a cluster alert from the letters it groups (it grows while citizens keep writing). */
export async function refreshClusterAlert(db: Executor, alertId: string): Promise<void> {
  await sql`
    update warning_alerts a set letter_count = s.n, citizen_count = s.c, first_at = s.first_at, last_at = s.last_at,
      first_letter_id = s.first_id, last_letter_id = s.last_id, updated_at = now()
    from (
      select count(*)::int n, count(distinct l.citizen_id)::int c, min(l.received_at) first_at, max(l.received_at) last_at,
        (array_agg(l.id order by l.received_at, l.id))[1] first_id,
        (array_agg(l.id order by l.received_at desc, l.id desc))[1] last_id
      from warning_alert_letters al join letters l on l.id = al.letter_id where al.alert_id = ${alertId}
    ) s
    where a.id = ${alertId}`.execute(db);
}

export async function listAlerts(
  db: Executor,
  limit = 100,
): Promise<(AlertRow & { first_serial: string | null; last_serial: string | null })[]> {
  const r = await sql<AlertRow & { first_serial: string | null; last_serial: string | null }>`
    select a.id, a.kind, a.title, a.detail, a.letter_count, a.citizen_count, a.first_letter_id, a.last_letter_id,
      a.first_at, a.last_at, a.raised_at, a.acknowledged_at, a.acknowledged_by, a.wecom_state, a.wecom_error,
      f.serial first_serial, l.serial last_serial
    from warning_alerts a left join letters f on f.id = a.first_letter_id left join letters l on l.id = a.last_letter_id
    order by a.raised_at desc limit ${limit}`.execute(db);
  return r.rows;
}
