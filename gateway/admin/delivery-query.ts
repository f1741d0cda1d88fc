// The deliveries list's query, shared by the page and the exports: filters from the URL (status, channel, kind,
// message, date range, letter) over `deliveries as d`, newest or oldest first, keyset-paginated on the queue order.
import type { Context } from 'koa';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { AppError } from '../errors.js';
import { isUuid } from '../letters/view.js';
import { dateParam, textParam } from './params.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const deliveryStatuses = ['queued', 'sending', 'sent', 'delivered', 'failed', 'fallback'];

export interface DeliveryQuery {
  where: RawBuilder<SqlBool>;
  dir: 'asc' | 'desc';
  after(cursor: string | undefined): RawBuilder<SqlBool>;
  filter: Record<string, string>;
}

const invalid = (field: string, message: string) => new AppError('request_invalid', { problems: [{ field, message }] });

export function deliveryQuery(ctx: Context): DeliveryQuery {
  const conds: RawBuilder<SqlBool>[] = [];
  const filter: Record<string, string> = {};
  const status = textParam(ctx, 'status');
  if (status) {
    if (!deliveryStatuses.includes(status))
      throw invalid('status', format(messages, 'admin.allowedValues', { join: deliveryStatuses.join('、') }));
    conds.push(sql<SqlBool>`d.status = ${status}`);
    filter.status = status;
  }
  for (const [param, column] of [
    ['channel', sql`d.channel`],
    ['kind', sql`d.kind`],
    ['templateKey', sql`d.template_key`],
  ] as const) {
    const v = textParam(ctx, param);
    if (v) {
      conds.push(sql<SqlBool>`${column} = ${v}`);
      filter[param] = v;
    }
  }
  const letterId = textParam(ctx, 'letterId');
  if (letterId) {
    if (!isUuid(letterId)) throw invalid('letterId', format(messages, 'admin.letterIdInvalid'));
    conds.push(sql<SqlBool>`d.letter_id = ${letterId}`);
    filter.letterId = letterId;
  }
  const from = dateParam(ctx, 'from');
  if (from) {
    conds.push(sql<SqlBool>`d.created_at >= ${from}`);
    filter.from = textParam(ctx, 'from', 10)!;
  }
  const to = dateParam(ctx, 'to', true);
  if (to) {
    conds.push(sql<SqlBool>`d.created_at < ${to}`);
    filter.to = textParam(ctx, 'to', 10)!;
  }
  const dir = textParam(ctx, 'dir') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') throw invalid('dir', format(messages, 'admin.orderValues'));
  return {
    where: conds.length ? sql<SqlBool>`${sql.join(conds, sql` and `)}` : sql<SqlBool>`true`,
    dir,
    filter,
    after(cursor) {
      if (!cursor) return sql<SqlBool>`true`;
      if (!/^\d{1,19}$/.test(cursor)) throw invalid('cursor', format(messages, 'admin.cursorInvalid'));
      return dir === 'asc' ? sql<SqlBool>`d.seq > ${cursor}` : sql<SqlBool>`d.seq < ${cursor}`;
    },
  };
}
