// The letters list's query, shared by the page and the exports: filters from the URL (channel, mailbox, kind, status,
// date range, forwarding state, delivery outcome, phone digits, serial, topic, region, department, deadline), a sort
// column and keyset pagination on
// (sort value, id) so page 1,000 costs what page 1 does.
import type { Context } from 'koa';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { phoneE164 } from '../privacy/citizen-data.js';
import { dateParam, textParam } from './params.js';
import { t } from '../i18n/index.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const letterStatuses = ['received', 'accepted', 'in_progress', 'replied', 'closed', 'rejected'];
const forwardStates = ['pending', 'forwarded', 'rejected', 'external', 'stuck'];
const deadlineStates = ['overdue', 'inTime', 'none'];
const deliveryStatuses = ['queued', 'sending', 'sent', 'delivered', 'failed', 'fallback'];

/** Sortable columns: the SQL expression and the type its cursor value is read back as. */
const sorts = {
  receivedAt: { expr: sql`letters.received_at`, cast: sql`timestamptz` },
  serial: { expr: sql`coalesce(letters.serial, '')`, cast: sql`text` },
  status: { expr: sql`letters.status::text`, cast: sql`text` },
  channel: { expr: sql`letters.channel`, cast: sql`text` },
  mailbox: { expr: sql`coalesce(letters.body->'mailbox'->>'name', '')`, cast: sql`text` },
} as const;
export type LetterSort = keyof typeof sorts;

export interface LetterQuery {
  where: RawBuilder<SqlBool>;
  sort: LetterSort;
  dir: 'asc' | 'desc';
  /** The row order, for ORDER BY. */
  order: RawBuilder<unknown>;
  /** The sort value of a row, to build the next cursor from. */
  sortValue: RawBuilder<string>;
  /** Rows after `cursor` in this order. */
  after(cursor: string | undefined): RawBuilder<SqlBool>;
  /** The filter as given, for the audit log of an export. */
  filter: Record<string, string>;
}

const invalid = (field: string, message: string) => new AppError('request_invalid', { problems: [{ field, message }] });
const oneOf = (ctx: Context, name: string, allowed: readonly string[]) => {
  const v = textParam(ctx, name);
  if (v !== undefined && !allowed.includes(v))
    throw invalid(name, format(messages, 'admin.allowedValues', { join: allowed.join('、') }));
  return v;
};

export function letterQuery(s: GatewayServices, ctx: Context): LetterQuery {
  const conds: RawBuilder<SqlBool>[] = [];
  const filter: Record<string, string> = {};
  const keep = (k: string, v: string | undefined) => {
    if (v !== undefined) filter[k] = v;
    return v;
  };
  const serial = keep('serial', textParam(ctx, 'serial', 64));
  if (serial) conds.push(sql<SqlBool>`letters.serial ilike ${`%${serial.replace(/[%_\\]/g, '\\$&')}%`}`);
  const channel = keep('channel', textParam(ctx, 'channel'));
  if (channel) conds.push(sql<SqlBool>`letters.channel = ${channel}`);
  const origin = keep('origin', textParam(ctx, 'origin'));
  if (origin) conds.push(sql<SqlBool>`coalesce(letters.body->>'origin', letters.channel) = ${origin}`);
  const mailbox = keep('mailbox', textParam(ctx, 'mailbox'));
  if (mailbox)
    conds.push(
      sql<SqlBool>`(letters.body->'mailbox'->>'id' = ${mailbox} or letters.body->'mailbox'->>'name' = ${mailbox})`,
    );
  const kind = keep('kind', textParam(ctx, 'kind'));
  if (kind) conds.push(sql<SqlBool>`letters.body->>'kind' = ${kind}`);
  const topic = keep('topic', textParam(ctx, 'topic', 40));
  if (topic && !/^[a-z0-9-]{1,40}$/.test(topic)) throw invalid('topic', t('console.letters.problem.topic'));
  if (topic) conds.push(sql<SqlBool>`letters.topic = ${topic}`);
  // A county (6 digits) takes in its streets (9 digits); a street is itself.
  const region = keep('region', textParam(ctx, 'region', 12));
  if (region && !/^\d{6}(\d{3})?$/.test(region)) throw invalid('region', t('console.letters.problem.region'));
  if (region) conds.push(sql<SqlBool>`letters.region_code like ${`${region}%`}`);
  // The department as the case store names it: any part of the name (staff rarely know its exact wording).
  const department = keep('department', textParam(ctx, 'department', 100));
  if (department) conds.push(sql<SqlBool>`letters.department ilike ${`%${department.replace(/[%_\\]/g, '\\$&')}%`}`);
  // Overdue as overdue.ts and the KPIs count it: not replied by the deadline.
  const deadline = keep('deadline', oneOf(ctx, 'deadline', deadlineStates));
  const late = sql<SqlBool>`coalesce(letters.replied_at, now()) > letters.deadline_at`;
  if (deadline === 'overdue') conds.push(sql<SqlBool>`letters.deadline_at is not null and ${late}`);
  if (deadline === 'inTime') conds.push(sql<SqlBool>`letters.deadline_at is not null and not ${late}`);
  if (deadline === 'none') conds.push(sql<SqlBool>`letters.deadline_at is null`);
  // `status` also takes the older list's stuck/pending, which are forwarding states.
  const status = keep('status', oneOf(ctx, 'status', [...letterStatuses, 'stuck', 'pending']));
  const forward =
    keep('forwardState', oneOf(ctx, 'forwardState', forwardStates)) ??
    (status === 'stuck' || status === 'pending' ? status : undefined);
  if (status && letterStatuses.includes(status)) conds.push(sql<SqlBool>`letters.status = ${status}`);
  if (forward === 'stuck') conds.push(sql<SqlBool>`letters.stuck_at is not null and letters.forward_state = 'pending'`);
  else if (forward) conds.push(sql<SqlBool>`letters.forward_state = ${forward}`);
  const outcome = keep('deliveryStatus', oneOf(ctx, 'deliveryStatus', deliveryStatuses));
  if (outcome)
    conds.push(
      sql<SqlBool>`exists (select 1 from deliveries d where d.letter_id = letters.id and d.status = ${outcome})`,
    );
  const from = dateParam(ctx, 'from');
  if (from) conds.push(sql<SqlBool>`letters.received_at >= ${from}`);
  keep('from', textParam(ctx, 'from', 10));
  const to = dateParam(ctx, 'to', true);
  if (to) conds.push(sql<SqlBool>`letters.received_at < ${to}`);
  keep('to', textParam(ctx, 'to', 10));
  const phone = textParam(ctx, 'phone', 20)?.replace(/[^\d]/g, '');
  if (phone) {
    if (phone.length < 4) throw invalid('phone', format(messages, 'admin.phoneTailTooShort'));
    filter.phone = `…${phone.slice(-4)}`;
    // The phone inside the letter is encrypted and a sender's phone is a token: a full number is found by its keyed
    // hash, a tail by the last four digits kept beside it (and among letters stored before encryption).
    const full = phoneE164(phone);
    const hashes = full ? s.pii.lookupHashes(full) : [];
    conds.push(
      sql<SqlBool>`(${phone.length === 4 ? sql`letters.citizen_phone_tail = ${phone} or ` : sql``}letters.citizen_id like ${`%${phone}`} or letters.body->'citizen'->>'phone' like ${`%${phone}`}${
        hashes.length > 0 ? sql` or letters.citizen_phone_hash in (${sql.join(hashes)})` : sql``
      })`,
    );
  }
  const sort = (oneOf(ctx, 'sort', Object.keys(sorts)) ?? 'receivedAt') as LetterSort;
  const dir = (oneOf(ctx, 'dir', ['asc', 'desc']) ?? 'desc') as 'asc' | 'desc';
  const { expr, cast } = sorts[sort];
  const where = conds.length ? sql<SqlBool>`${sql.join(conds, sql` and `)}` : sql<SqlBool>`true`;
  return {
    where,
    sort,
    dir,
    filter,
    order: dir === 'asc' ? sql`${expr} asc, letters.id asc` : sql`${expr} desc, letters.id desc`,
    sortValue:
      sort === 'receivedAt'
        ? sql<string>`to_char(letters.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
        : sql<string>`${expr}`,
    after(cursor) {
      if (!cursor) return sql<SqlBool>`true`;
      const c = decodeCursor(cursor);
      return dir === 'asc'
        ? sql<SqlBool>`(${expr}, letters.id) > (${c.value}::${cast}, ${c.id}::uuid)`
        : sql<SqlBool>`(${expr}, letters.id) < (${c.value}::${cast}, ${c.id}::uuid)`;
    },
  };
}

export const encodeCursor = (value: string, id: string) =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

export function decodeCursor(cursor: string): { value: string; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof value === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { value, id };
  } catch {
    // fall through to the problem answer
  }
  throw invalid('cursor', format(messages, 'admin.cursorInvalid'));
}
