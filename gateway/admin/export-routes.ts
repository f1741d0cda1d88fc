// Exports of the letters and deliveries lists, with the page's own filter, as .xlsx or CSV with Chinese headers and
// Asia/Shanghai times. Exporting copies citizens' data out of the gateway: a reason is required and the export (with
// its filter) is audited before the first row is written.
import Router from '@koa/router';
import type { Context } from 'koa';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { label, t } from '../i18n/index.js';
import { classificationFor } from '../classification/service.js';
import { topicNames } from './topic-names.js';
import { isOverdue } from './overdue.js';
import { staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskIdentifier } from './mask.js';
import { shownCitizenId } from '../privacy/pii-ids.js';
import { textParam } from './params.js';
import { letterQuery } from './letter-query.js';
import { deliveryQuery } from './delivery-query.js';
import { shanghaiTime, streamExport, type ExportRow } from './table-export.js';
import { format as formatText } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const batch = 1000;

function exportParams(ctx: Context): { format: 'xlsx' | 'csv'; reason: string } {
  const format = textParam(ctx, 'format') ?? 'xlsx';
  if (format !== 'xlsx' && format !== 'csv')
    throw new AppError('request_invalid', {
      problems: [{ field: 'format', message: formatText(messages, 'admin.exportFormats') }],
    });
  const reason = textParam(ctx, 'reason', 500);
  if (!reason || reason.length < 2)
    throw new AppError('request_invalid', {
      problems: [{ field: 'reason', message: formatText(messages, 'admin.exportReasonRequired') }],
    });
  return { format, reason };
}

const day = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

export function exportRoutes(s: GatewayServices): Router {
  const router = new Router();

  router.get('/exports/letters', async (ctx) => {
    const { format, reason } = exportParams(ctx);
    const lq = letterQuery(s, ctx);
    await audit(s.db, staffOf(ctx), {
      action: 'letter.export',
      targetType: 'letter',
      after: { format, filter: lq.filter, sort: lq.sort, dir: lq.dir },
      reason,
    });
    const [topics, regions] = await Promise.all([topicNames(s.db), classificationFor(s.db, s.config).regions()]);
    async function* rows(): AsyncGenerator<ExportRow[]> {
      let after = sql<boolean>`true`;
      for (;;) {
        const page = await s.db
          .selectFrom('letters')
          .select([
            'id',
            'serial',
            'channel',
            'citizen_id',
            'status',
            'forward_state',
            'stuck_at',
            'received_at',
            'forwarded_at',
            'topic',
            'region_code',
            'department',
            'deadline_at',
            'replied_at',
          ])
          .select(sql<string>`body->'mailbox'->>'name'`.as('mailbox'))
          .select(sql<string>`body->>'kind'`.as('kind'))
          .select(sql<string>`coalesce(body->>'origin', channel)`.as('origin'))
          .select(sql<string | null>`body->>'title'`.as('title'))
          .select(sql<string | null>`body->'region'->>'name'`.as('region'))
          .select(sql<string | null>`body->'citizen'->>'channelUserId'`.as('uid'))
          .where(lq.where)
          .where(after)
          .orderBy(sql`letters.received_at asc, letters.id asc`)
          .limit(batch)
          .execute();
        if (page.length === 0) return;
        yield page.map((r) => ({
          serial: r.serial ?? '',
          channel: label('channel', r.channel),
          origin: label('origin', r.origin),
          mailbox: r.mailbox,
          kind: label('kind', r.kind),
          title: r.title ?? '',
          region: (r.region_code ? regions.get(r.region_code)?.name : undefined) ?? r.region ?? '',
          status: label('letterStatus', r.status),
          forward:
            r.stuck_at && r.forward_state === 'pending'
              ? label('forwardState', 'stuck')
              : label('forwardState', r.forward_state),
          citizen: maskIdentifier(shownCitizenId(s.pii, r.citizen_id, r.uid)),
          receivedAt: shanghaiTime(r.received_at),
          forwardedAt: shanghaiTime(r.forwarded_at),
          topic: r.topic ? (topics.get(r.topic)?.name ?? r.topic) : '',
          department: r.department ?? '',
          deadline: shanghaiTime(r.deadline_at),
          overdue: isOverdue(r.deadline_at, r.replied_at) ? t('console.letters.overdue') : '',
        }));
        const last = page.at(-1)!;
        after = sql<boolean>`(letters.received_at, letters.id) > (${last.received_at}::timestamptz, ${last.id}::uuid)`;
        if (page.length < batch) return;
      }
    }
    streamExport(ctx, {
      format,
      filename: formatText(messages, 'admin.lettersFileName', { day: day() }),
      sheet: formatText(messages, 'admin.lettersSheet'),
      columns: [
        { header: formatText(messages, 'admin.serial'), key: 'serial', width: 20 },
        { header: formatText(messages, 'admin.channel'), key: 'channel', width: 10 },
        { header: formatText(messages, 'admin.origin'), key: 'origin', width: 12 },
        { header: formatText(messages, 'admin.mailbox'), key: 'mailbox', width: 20 },
        { header: formatText(messages, 'admin.kind'), key: 'kind', width: 8 },
        { header: formatText(messages, 'admin.title'), key: 'title', width: 30 },
        { header: formatText(messages, 'admin.region'), key: 'region', width: 14 },
        { header: formatText(messages, 'admin.status'), key: 'status', width: 10 },
        { header: formatText(messages, 'admin.forwardState'), key: 'forward', width: 14 },
        { header: formatText(messages, 'admin.citizenMasked'), key: 'citizen', width: 18 },
        { header: formatText(messages, 'admin.receivedAt'), key: 'receivedAt', width: 20 },
        { header: formatText(messages, 'admin.forwardedAt'), key: 'forwardedAt', width: 20 },
        { header: t('console.letters.col.topic'), key: 'topic', width: 14 },
        { header: t('console.letters.col.department'), key: 'department', width: 18 },
        { header: t('console.letters.export.deadline'), key: 'deadline', width: 20 },
        { header: t('console.letters.export.overdue'), key: 'overdue', width: 10 },
      ],
      rows: rows(),
    });
  });

  router.get('/exports/deliveries', async (ctx) => {
    const { format, reason } = exportParams(ctx);
    const dq = deliveryQuery(ctx);
    await audit(s.db, staffOf(ctx), {
      action: 'delivery.export',
      targetType: 'delivery',
      after: { format, filter: dq.filter },
      reason,
    });
    async function* rows(): AsyncGenerator<ExportRow[]> {
      let after = sql<boolean>`true`;
      for (;;) {
        const page = await s.db
          .selectFrom('deliveries as d')
          .leftJoin('letters as l', 'l.id', 'd.letter_id')
          .select([
            'd.seq',
            'd.channel',
            'd.recipient',
            'd.kind',
            'd.template_key',
            'd.template_version',
            'd.status',
            'd.route',
            'd.attempts',
            'd.created_at',
            'd.sent_at',
            'l.serial',
          ])
          .select(
            sql<
              string | null
            >`(select a.error_code from delivery_attempts a where a.delivery_id = d.id and a.error_code is not null order by a.id desc limit 1)`.as(
              'error_code',
            ),
          )
          .where(dq.where)
          .where(after)
          .orderBy('d.seq', 'asc')
          .limit(batch)
          .execute();
        if (page.length === 0) return;
        yield page.map((r) => ({
          createdAt: shanghaiTime(r.created_at),
          channel: label('channel', r.channel),
          route: r.route ? label('route', r.route) : '',
          recipient: maskIdentifier(r.recipient),
          kind: label('deliveryKind', r.kind),
          template: label('templateKey', r.template_key),
          version: r.template_version ?? '',
          status: label('deliveryStatus', r.status),
          attempts: r.attempts,
          error: r.error_code ? label('errorCode', r.error_code) : '',
          sentAt: shanghaiTime(r.sent_at),
          serial: r.serial ?? '',
        }));
        after = sql<boolean>`d.seq > ${page.at(-1)!.seq}`;
        if (page.length < batch) return;
      }
    }
    streamExport(ctx, {
      format,
      filename: formatText(messages, 'admin.deliveriesFileName', { day: day() }),
      sheet: formatText(messages, 'admin.deliveriesSheet'),
      columns: [
        { header: formatText(messages, 'admin.createdAt'), key: 'createdAt', width: 20 },
        { header: formatText(messages, 'admin.channel'), key: 'channel', width: 10 },
        { header: formatText(messages, 'admin.route'), key: 'route', width: 12 },
        { header: formatText(messages, 'admin.recipientMasked'), key: 'recipient', width: 18 },
        { header: formatText(messages, 'admin.deliveryKind'), key: 'kind', width: 12 },
        { header: formatText(messages, 'admin.message'), key: 'template', width: 18 },
        { header: formatText(messages, 'admin.templateVersion'), key: 'version', width: 8 },
        { header: formatText(messages, 'admin.status'), key: 'status', width: 12 },
        { header: formatText(messages, 'admin.attempts'), key: 'attempts', width: 8 },
        { header: formatText(messages, 'admin.lastError'), key: 'error', width: 40 },
        { header: formatText(messages, 'admin.sentAt'), key: 'sentAt', width: 20 },
        { header: formatText(messages, 'admin.letterSerial'), key: 'serial', width: 20 },
      ],
      rows: rows(),
    });
  });

  return router;
}
