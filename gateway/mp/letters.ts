// POST /mp/letters (submit a structured letter), GET /mp/letters and /mp/letters/:id (only the citizen's own).
// A submission is idempotent per (citizen, client key): the key becomes the letter's source message id, so a retry
// after a network failure answers with the letter already stored. The text check is recorded, never a reason to drop.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { checkRequest, mpLetterRequestSchema, type MpSubmitAnswer } from '../../shared/mp-api.js';
import type { Letter, LetterDraft } from '../../shared/letter.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { detailOwn, listOwn } from './letter-views.js';
import { citizenChoice } from '../classification/citizen-choice.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

type ContentCheck = NonNullable<Letter['contentCheck']>;

export function letterRoutes(router: Router, d: MpDeps, auth: Middleware): void {
  router.post('/mp/letters', auth, async (ctx) => {
    const { openid, unionid } = sessionOf(ctx);
    const payload = await readJson(ctx, 64 * 1024);
    const checked = checkRequest(mpLetterRequestSchema, payload);
    if (!checked.ok) throw new AppError('request_invalid', { problems: checked.problems });
    const req = checked.value;
    const providerMessageId = `${openid}:${req.clientKey}`;

    const seen = await existing(d, providerMessageId);
    if (seen) {
      ctx.body = seen;
      return;
    }
    const mailbox = await d.mailboxes.get(req.mailboxId);
    if (!mailbox)
      throw new AppError('request_invalid', {
        problems: [{ field: 'mailboxId', message: format(messages, 'mp.mailboxRequired') }],
      });
    const uploads =
      req.uploadIds.length === 0
        ? []
        : await d.db
            .selectFrom('mp_uploads')
            .select(['id', 'attachment_id', 'content_type', 'bytes', 'sha256'])
            .where('openid', '=', openid)
            .where('id', 'in', req.uploadIds)
            .execute();
    if (uploads.length !== new Set(req.uploadIds).size) {
      throw new AppError('request_invalid', {
        problems: [{ field: 'uploadIds', message: format(messages, 'mp.uploadMissing') }],
      });
    }
    const chosen = await citizenChoice(d.db, d.config, { topic: req.topic, region: req.region });
    const byId = new Map(uploads.map((u) => [u.id, u]));
    const phone = req.usePhone
      ? await d.db.selectFrom('mp_phones').select('phone').where('openid', '=', openid).executeTakeFirst()
      : undefined;
    if (req.usePhone && !phone)
      throw new AppError('request_invalid', {
        problems: [{ field: 'usePhone', message: format(messages, 'mp.phoneRequired') }],
      });

    const receivedAt = new Date().toISOString();
    const contentCheck = await checkText(d, openid, req.body, req.title);
    const draft: Omit<LetterDraft, 'sourceMessages'> = {
      channel: wechatMpChannel,
      receivedAt,
      citizen: {
        channelUserId: openid,
        ...(unionid ? { unionId: unionid } : {}),
        ...(phone ? { phone: phone.phone, phoneVerified: true } : {}),
        ...(req.name ? { name: req.name } : {}),
        anonymous: !req.name && !phone,
      },
      mailbox: { id: mailbox.id, name: mailbox.name },
      kind: req.kind,
      ...(chosen.region ? { region: chosen.region } : mailbox.region ? { region: mailbox.region } : {}),
      ...(chosen.topic ? { topic: chosen.topic } : {}),
      ...(req.title ? { title: req.title } : {}),
      body: req.body,
      attachments: [...new Set(req.uploadIds)].map((id) => {
        const u = byId.get(id)!;
        return {
          kind: 'image' as const,
          url: d.attachments.signedUrl(u.attachment_id),
          contentType: u.content_type,
          bytes: u.bytes,
          sha256: u.sha256,
        };
      }),
      ...(req.location
        ? {
            location: {
              latitude: req.location.latitude,
              longitude: req.location.longitude,
              ...(req.location.name ? { label: req.location.name } : {}),
              ...(req.location.address ? { address: req.location.address } : {}),
            },
          }
        : {}),
      visibility: req.visibility,
      ...(contentCheck ? { contentCheck } : {}),
    };
    const r = await d.intake.submit({ draft, sources: [{ providerMessageId, receivedAt, type: 'mp-form', payload }] });
    if (r.duplicate) {
      ctx.body = (await existing(d, providerMessageId)) ?? {
        letterId: r.letterId,
        extractionCode: r.extractionCode,
        status: 'received',
        serial: null,
        duplicate: true,
      };
      return;
    }
    ctx.status = 201;
    ctx.body = {
      letterId: r.letterId,
      extractionCode: r.extractionCode,
      status: 'received',
      serial: null,
      duplicate: false,
    } satisfies MpSubmitAnswer;
  });

  router.get('/mp/letters', auth, async (ctx) => {
    ctx.body = { letters: await listOwn(d.db, sessionOf(ctx).openid) };
  });

  router.get('/mp/letters/:id', auth, async (ctx) => {
    const detail = await detailOwn(d.db, d.attachments, sessionOf(ctx).openid, ctx.params.id!);
    // Someone else's letter and a letter that does not exist look the same.
    if (!detail) throw new AppError('letter_not_found');
    ctx.body = detail;
  });
}

async function existing(d: MpDeps, providerMessageId: string): Promise<MpSubmitAnswer | null> {
  const row = await d.db
    .selectFrom('source_messages as s')
    .innerJoin('letters as l', 'l.id', 's.letter_id')
    .select(['l.id', 'l.extraction_code', 'l.status', 'l.serial'])
    .where('s.channel', '=', wechatMpChannel)
    .where('s.provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
  return row
    ? { letterId: row.id, extractionCode: row.extraction_code, status: row.status, serial: row.serial, duplicate: true }
    : null;
}

/** msgSecCheck v2 with a deadline: a slow or failing check leaves the letter without a verdict, never without a letter. */
async function checkText(d: MpDeps, openid: string, body: string, title?: string): Promise<ContentCheck | null> {
  if (!d.api) return null;
  const api = d.api;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), d.config.MP_CONTENT_CHECK_TIMEOUT_MS);
  });
  const check = api.msgSecCheck(openid, body, title).then(
    (v): ContentCheck => ({
      provider: 'wechat-msgSecCheck-v2',
      suggest: v.suggest,
      ...(v.label !== undefined ? { label: v.label } : {}),
      ...(v.traceId ? { traceId: v.traceId.slice(0, 100) } : {}),
      checkedAt: new Date().toISOString(),
    }),
    (err: unknown) => {
      d.log.warn({ err }, 'msgSecCheck failed; the letter is stored without a verdict');
      return null;
    },
  );
  try {
    return await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
