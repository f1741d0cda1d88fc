// 公开通报 under /public/, no login: the page, the figures as JSON and CSV, and the letters staff approved for
// publication. Everything is read from the stored snapshot (never computed per request), may be cached briefly by
// browsers and proxies, and each client address gets a number of requests per minute across all instances (one
// atomic counter statement decides).
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { latestSnapshot, publicGroupings, type PublicSnapshot } from './snapshot.js';
import { countMeasures, type PublishedRow } from './suppress.js';
import { say } from './messages.zh-CN.js';
import { publicPage } from './page.js';
import type { MpPublicLetter, PublicLetter } from '../../shared/mp-api.js';

export async function publishedLetters(s: Pick<GatewayServices, 'db'>, limit = 50): Promise<PublicLetter[]> {
  const rows = await publishedLetterRows(s.db, { limit, offset: 0 });
  return rows.map(({ ref: _ref, ...letter }) => letter);
}

/**
 * The published letters (newest approval first) exactly as /public/ shows them, each with `ref`: an opaque reference
 * for other readers of the same list (the mini-program's board) to page and open one letter; the letter's own id
 * is not public. One query for every reader, so none can show more than the public page does.
 */
export async function publishedLetterRows(
  db: GatewayServices['db'],
  o: { limit: number; offset: number; ref?: string; search?: string },
): Promise<MpPublicLetter[]> {
  const r = await sql<{
    ref: string;
    serial: string | null;
    received_at: Date;
    kind: string;
    mailbox: string;
    title: string | null;
    text: string;
    reply: string | null;
    approved_at: Date;
  }>`
    select ${publicRef} ref, l.serial, l.received_at, l.body->>'kind' kind, l.body->'mailbox'->>'name' mailbox, p.title,
      p.text, p.reply, p.approved_at
    from public_letters p join letters l on l.id = p.letter_id
    where p.withdrawn_at is null and l.body->>'visibility' = 'public'
      ${o.ref === undefined ? sql`` : sql`and ${publicRef} = ${o.ref}`}
      ${matching(o.search)}
    order by p.approved_at desc, p.letter_id desc limit ${o.limit} offset ${o.offset}`.execute(db);
  return r.rows.map((x) => ({
    ref: x.ref,
    serial: x.serial,
    receivedAt: x.received_at.toISOString(),
    kind: x.kind,
    mailbox: x.mailbox,
    title: x.title,
    text: x.text,
    reply: x.reply,
    approvedAt: x.approved_at.toISOString(),
  }));
}

/** How many letters the public list holds (same conditions as publishedLetterRows). */
export async function publishedLetterCount(db: GatewayServices['db'], search?: string): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) n from public_letters p join letters l on l.id = p.letter_id
    where p.withdrawn_at is null and l.body->>'visibility' = 'public' ${matching(search)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * Letters whose published words (title, text as redacted for publication, reply, mailbox name) contain `search`, as
 * typed: no pattern characters. Only what is already public is searched, so a search reveals nothing more.
 */
function matching(search: string | undefined) {
  if (!search) return sql``;
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`and concat_ws(' ', p.title, p.text, p.reply, l.body->'mailbox'->>'name') ilike ${pattern}`;
}

/** A published letter's reference: not reversible to its id; indexed by migration 0910. */
const publicRef = sql<string>`left(md5('public-letter:' || p.letter_id::text), 20)`;

function rateLimit(s: GatewayServices) {
  return async (ctx: Context, next: Next) => {
    const r = await sql<{ count: number }>`
      insert into public_rate (address, window_start, count) values (${ctx.ip}, date_trunc('minute', now()), 1)
      on conflict (address, window_start) do update set count = public_rate.count + 1
      returning count`.execute(s.db);
    if (r.rows[0]!.count > s.config.PUBLIC_REQUESTS_PER_MINUTE) {
      ctx.set('Retry-After', '60');
      throw new AppError('rate_limited');
    }
    await next();
    if (ctx.status === 200)
      ctx.set('Cache-Control', `public, max-age=${Math.min(300, s.config.PUBLIC_REFRESH_MINUTES * 60)}`);
  };
}

const csvCell = (v: string | number | null) => {
  const t = v === null ? '' : String(v);
  // Leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(t) ? `'${t}` : t;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function figuresCsv(snap: PublicSnapshot | null): string {
  const head = ['period', 'grouping', 'key', 'name', ...countMeasures, 'replyRate', 'satisfactionRate', 'overdueRate'];
  const lines = [head.join(',')];
  for (const p of snap?.periods ?? []) {
    for (const g of publicGroupings) {
      const t = p.tables[g];
      if (!t) continue;
      const line = (row: PublishedRow, name: string) =>
        [
          p.period,
          g,
          row.key,
          name,
          ...countMeasures.map((m) => row.counts[m]),
          row.rates.replyRate,
          row.rates.satisfactionRate,
          row.rates.overdueRate,
        ]
          .map(csvCell)
          .join(',');
      for (const row of t.groups) lines.push(line(row, t.labels[row.key] ?? row.key));
      lines.push(line({ ...t.total, key: 'total' }, say('public.total')));
    }
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function publicRoutes(s: GatewayServices): Router {
  const router = new Router({ prefix: '/public' });
  router.use(rateLimit(s));
  router.get(['/', '/index.html'], async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    );
    ctx.body = publicPage(await latestSnapshot(s.db), await publishedLetters(s));
  });
  router.get('/figures.json', async (ctx) => {
    ctx.body = (await latestSnapshot(s.db)) ?? { refreshedAt: null, threshold: s.config.PUBLIC_MIN_COUNT, periods: [] };
  });
  router.get('/figures.csv', async (ctx) => {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment('figures.csv');
    ctx.body = figuresCsv(await latestSnapshot(s.db));
  });
  router.get('/letters.json', async (ctx) => {
    ctx.body = { letters: await publishedLetters(s) };
  });
  return router;
}
