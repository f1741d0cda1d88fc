// POST /mp/letters/:id/followups — 追问 / 补充材料: the citizen adds text and photos to their own letter while it is
// open (not closed or rejected). Stored once per client key and forwarded to the case store as a `letter.followup`
// event in the same transaction, so what is acknowledged is never lost and a retry never forwards twice.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { uuidv7 } from '../letters/ids.js';
import { queueCaseEvent } from '../casestore/events.js';
import type { Db } from '../store/db.js';
import type { Wakeup } from '../jobs/wakeup.js';
import type { Timestamp } from '../store/column-types.js';
import { checkRequest, mpFollowupRequestSchema } from '../../shared/mp-api.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

export interface MpFollowupsTable {
  id: string;
  letter_id: string;
  openid: string;
  client_key: string;
  text: string;
  attachment_ids: string[];
  created_at: Timestamp;
}

declare module '../store/tables.js' {
  interface Database {
    mp_followups: MpFollowupsTable;
  }
}

export interface FollowupDeps {
  db: Db;
  wakeup: Pick<Wakeup, 'wake'>;
  attachments: { signedUrl(id: string): string };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function followupRoutes(
  router: Router,
  d: FollowupDeps,
  auth: Middleware,
  openidOf: (ctx: Context) => string,
): void {
  router.post('/mp/letters/:id/followups', auth, async (ctx) => {
    const openid = openidOf(ctx);
    const letterId = ctx.params.id ?? '';
    const checked = checkRequest(mpFollowupRequestSchema, await readJson(ctx, 16 * 1024));
    if (!checked.ok) throw new AppError('request_invalid', { problems: checked.problems });
    const req = checked.value;
    if (!uuid.test(letterId)) throw new AppError('letter_not_found');
    const answer = await d.db.transaction().execute(async (tx) => {
      // The letter row is locked so a follow-up never slips in while the letter is being closed.
      const letter = await tx
        .selectFrom('letters')
        .select(['id', 'status', 'serial'])
        .where('id', '=', letterId)
        .where('channel', '=', wechatMpChannel)
        .where('citizen_id', '=', openid)
        .forUpdate()
        .executeTakeFirst();
      if (!letter) throw new AppError('letter_not_found', { detail: format(messages, 'mp.letterMissing') });
      const earlier = await tx
        .selectFrom('mp_followups')
        .select(['id', 'letter_id'])
        .where('openid', '=', openid)
        .where('client_key', '=', req.clientKey)
        .executeTakeFirst();
      if (earlier) {
        if (earlier.letter_id !== letterId)
          throw new AppError('idempotency_key_reused', { detail: format(messages, 'mp.clientKeyReused') });
        return { status: 200, body: { followupId: earlier.id, duplicate: true } };
      }
      if (letter.status === 'closed' || letter.status === 'rejected') {
        throw new AppError('conflict', { detail: format(messages, 'mp.letterClosed') });
      }
      const uploads =
        req.uploadIds.length === 0
          ? []
          : await tx
              .selectFrom('mp_uploads')
              .select(['id', 'attachment_id', 'content_type', 'sha256'])
              .where('openid', '=', openid)
              .where('id', 'in', req.uploadIds)
              .execute();
      if (uploads.length !== new Set(req.uploadIds).size) {
        throw new AppError('request_invalid', {
          problems: [{ field: 'uploadIds', message: format(messages, 'mp.uploadMissing') }],
        });
      }
      const id = uuidv7();
      const inserted = await sql`
        insert into mp_followups (id, letter_id, openid, client_key, text, attachment_ids)
        values (${id}, ${letterId}, ${openid}, ${req.clientKey}, ${req.text}, ${uploads.map((u) => u.attachment_id)})
        on conflict (openid, client_key) do nothing`.execute(tx);
      // A parallel retry with the same key got there first: that one forwards it.
      if (Number(inserted.numAffectedRows ?? 0) === 0)
        return { status: 200, body: { followupId: null, duplicate: true } };
      await queueCaseEvent(tx, {
        letterId,
        type: 'letter.followup',
        data: {
          followupId: id,
          serial: letter.serial,
          channel: wechatMpChannel,
          text: req.text,
          attachments: uploads.map((u) => ({
            url: d.attachments.signedUrl(u.attachment_id),
            contentType: u.content_type,
            sha256: u.sha256,
          })),
        },
      });
      return { status: 201, body: { followupId: id, duplicate: false } };
    });
    if (answer.status === 201) d.wakeup.wake('events');
    ctx.status = answer.status;
    ctx.body = answer.body;
  });
}
