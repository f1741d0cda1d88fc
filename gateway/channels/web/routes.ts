// The web mailbox's pages under /web/: directory → letter form → draft → phone verification → confirm → submit
// through the core's intake → the letter's page (receipt, timeline, survey). Every POST carries a CSRF token; every
// problem is a Chinese page with the message beside its field, never a 500.
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import type { LetterDraft } from '../../../shared/letter.js';
import { openLetter } from '../../privacy/pii-service.js';
import { answerSurvey } from '../../surveys/surveys.js';
import { timelineOf } from '../../mp/letter-views.js';
import type { WebDeps } from './deps.js';
import { readForm } from './forms.js';
import { errorBody, confirmBody, directoryBody, letterBody, listBody, verifyBody, type LetterView } from './pages.js';
import { page, maskedPhone, type FieldErrors } from './html.js';
import {
  readLetterForm,
  writeForm,
  MAX_PHOTOS,
  type DraftContent,
  type RegionChoice,
  type TopicChoice,
} from './letter-form.js';
import { classificationFor } from '../../classification/service.js';
import { t, type MessageKey } from './messages.zh-CN.js';
import { safeNext } from './oauth.js';
import { sendCode, checkCode } from './verify.js';
import { takeHit } from './codes.js';
import { idForms } from '../../privacy/pii-ids.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORM_LIMIT = 64 * 1024;
/** Drafts (with their photos) one client address may store per hour before any phone is verified. */
const DRAFTS_PER_ADDRESS_PER_HOUR = 30;
/** The web mailbox's own photo limit, never above what the attachment store keeps (the form tells the real limit). */
const photoMaxBytes = (d: WebDeps): number => Math.min(d.config.WEB_PHOTO_MAX_BYTES, d.config.ATTACHMENT_MAX_BYTES);

// Koa's Context leaves route params untyped; these routes read theirs as strings.
type Handler = (ctx: Context & { params: Record<string, string> }) => Promise<void>;

export function webRoutes(router: Router, d: WebDeps): void {
  /** Renders a page; an AppError (bad form, too large, wrong type) becomes a Chinese error page with its status. */
  const get = (path: string, h: Handler) => router.get(path, guard(h));
  const post = (path: string, h: Handler) => router.post(path, guard(h));
  const guard =
    (h: Handler): Handler =>
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      // Our own script and style only, never framed (clickjacking), no letter link leaking through the Referer.
      ctx.set(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Referrer-Policy', 'same-origin');
      try {
        await h(ctx);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const key: MessageKey =
          err.code === 'body_too_large'
            ? 'web.err.tooLarge'
            : err.code === 'csrf_invalid'
              ? 'web.err.csrf'
              : 'web.err.generic';
        ctx.status = err.status;
        await render(ctx, t('web.err.title'), errorBody(t(key)));
      }
    };
  const render = async (
    ctx: Context,
    title: string,
    body: Parameters<typeof page>[0]['body'],
    extra: { refreshSeconds?: number } = {},
  ) => {
    const w = await d.ready();
    const phone = w.sessions.phoneOf(ctx);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page({
      title,
      body,
      phone: phone ? maskedPhone(phone) : null,
      csrf: w.sessions.csrfToken(ctx),
      ...extra,
    });
  };
  const csrfOk = async (ctx: Context, token: string) => {
    if (!(await d.ready()).sessions.csrfValid(ctx, token)) throw new AppError('csrf_invalid');
  };
  const notFound = async (ctx: Context, key: MessageKey) => {
    ctx.status = 404;
    await render(ctx, t('web.err.title'), errorBody(t(key)));
  };
  const verifyPage = async (
    ctx: Context,
    next: string,
    intro: MessageKey,
    phone = '',
    codeSent = false,
    errors: FieldErrors = {},
  ) => {
    const w = await d.ready();
    await render(
      ctx,
      t('web.verify.title'),
      verifyBody({
        csrf: w.sessions.csrfToken(ctx),
        next,
        phone,
        codeSent,
        errors,
        intro,
        ttlMinutes: Math.round(d.config.WEB_CODE_TTL_SECONDS / 60),
      }),
    );
  };

  get('/web/static/:file', async (ctx) => {
    const asset = d.assets.get(ctx.params.file!);
    if (!asset) return notFound(ctx, 'web.err.notFound');
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = asset.type;
    ctx.body = asset.body;
  });

  get('/web/oauth', async (ctx) => {
    ctx.redirect(await d.oauth.callback(ctx, (await d.ready()).sessions));
  });

  get('/web/', async (ctx) => {
    const to = d.oauth.redirectFor(ctx, (await d.ready()).sessions);
    if (to) {
      ctx.redirect(to);
      return;
    }
    const q = typeof ctx.query.q === 'string' ? [...ctx.query.q.trim()].slice(0, 30).join('') : '';
    const results = q ? await d.mailboxes.search(q) : null;
    await render(ctx, t('web.dir.title'), directoryBody(await d.mailboxes.tree(), q, results));
  });

  get('/web/write', async (ctx) => {
    const to = d.oauth.redirectFor(ctx, (await d.ready()).sessions);
    if (to) {
      ctx.redirect(to);
      return;
    }
    const id = typeof ctx.query.mailbox === 'string' ? ctx.query.mailbox : '';
    const mailbox = /^[a-z0-9-]{1,64}$/.test(id) ? await d.mailboxes.get(id) : null;
    if (!mailbox) {
      ctx.redirect('/web/');
      return;
    }
    const w = await d.ready();
    await render(
      ctx,
      t('web.write.title'),
      writeForm(
        mailbox,
        w.sessions.csrfToken(ctx),
        {},
        {},
        photoMaxBytes(d),
        await topicChoices(d),
        await regionChoices(d),
      ),
    );
  });

  post('/web/drafts', async (ctx) => {
    const w = await d.ready();
    const form = await readForm(ctx, MAX_PHOTOS * photoMaxBytes(d) + FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    if (!(await takeHit(d.webDb, `drafts:${ctx.ip}`, DRAFTS_PER_ADDRESS_PER_HOUR))) throw new AppError('rate_limited');
    const id = form.field('mailbox');
    const mailbox = /^[a-z0-9-]{1,64}$/.test(id) ? await d.mailboxes.get(id) : null;
    const topics = await topicChoices(d);
    const regions = await regionChoices(d);
    const r = await readLetterForm(form, mailbox, d.attachments, photoMaxBytes(d), topics, regions);
    if (!r.ok) {
      if (!mailbox) {
        ctx.redirect('/web/');
        return;
      }
      ctx.status = 422;
      return render(
        ctx,
        t('web.write.title'),
        writeForm(mailbox, w.sessions.csrfToken(ctx), r.values, r.errors, photoMaxBytes(d), topics, regions),
      );
    }
    const draftId = randomUUID();
    await d.webDb
      .insertInto('web_drafts')
      .values({ id: draftId, content: JSON.stringify(r.content), oa_openid: w.sessions.openidOf(ctx) || null })
      .execute();
    ctx.status = 303;
    ctx.redirect(`/web/drafts/${draftId}`);
  });

  get('/web/drafts/:id', async (ctx) => {
    const w = await d.ready();
    const draft = await loadDraft(d, ctx.params.id!);
    if (!draft) return notFound(ctx, 'web.err.draftGone');
    const phone = w.sessions.phoneOf(ctx);
    if (!phone) return verifyPage(ctx, `/web/drafts/${draft.id}`, 'web.verify.why');
    if (draft.letterId) {
      ctx.redirect(`/web/letters/${draft.letterId}`);
      return;
    }
    const mailbox = await d.mailboxes.get(draft.content.mailboxId);
    if (!mailbox) return notFound(ctx, 'web.err.draftGone');
    await render(ctx, t('web.confirm.title'), confirmBody(draft.id, draft.content, mailbox, w.sessions.csrfToken(ctx)));
  });

  post('/web/verify/send', async (ctx) => {
    const form = await readForm(ctx, FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    const next = safeNext(form.field('next'));
    const r = await sendCode(d, form.field('phone'), ctx.ip);
    if (!r.ok) ctx.status = r.status;
    await verifyPage(ctx, next, introFor(next), r.local, r.ok, r.ok ? {} : { phone: r.error });
  });

  post('/web/verify', async (ctx) => {
    const w = await d.ready();
    const form = await readForm(ctx, FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    const next = safeNext(form.field('next'));
    const r = await checkCode(d, form.field('phone'), form.field('code'));
    if (!r.ok) {
      ctx.status = 422;
      return verifyPage(ctx, next, introFor(next), r.local, r.field === 'code', { [r.field]: r.error });
    }
    w.sessions.signIn(ctx, r.phone);
    ctx.status = 303;
    ctx.redirect(next);
  });

  post('/web/drafts/:id/submit', async (ctx) => {
    const w = await d.ready();
    const form = await readForm(ctx, FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    const draft = await loadDraft(d, ctx.params.id!);
    if (!draft) return notFound(ctx, 'web.err.draftGone');
    const phone = w.sessions.phoneOf(ctx);
    ctx.status = 303;
    if (!phone) {
      ctx.redirect(`/web/drafts/${draft.id}`);
      return;
    }
    const mailbox = await d.mailboxes.get(draft.content.mailboxId);
    if (!mailbox) return notFound(ctx, 'web.err.draftGone');
    const letterId = await submitDraft(d, draft.id, draft.content, draft.oaOpenid, mailbox, phone);
    ctx.status = 303;
    ctx.redirect(`/web/letters/${letterId}?submitted=1`);
  });

  get('/web/letters', async (ctx) => {
    const phone = (await d.ready()).sessions.phoneOf(ctx);
    if (!phone) return verifyPage(ctx, '/web/letters', 'web.verify.whyLetter');
    const rows = await d.db
      .selectFrom('letters')
      .select(['id', 'serial', 'status', 'body'])
      .where('channel', '=', 'web')
      // Letters name the citizen by the phone's token (privacy/pii-ids.ts); rows from before tokens by the phone.
      .where('citizen_id', 'in', await idForms(d.db, d.pii, phone))
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    await render(
      ctx,
      t('web.mine.title'),
      listBody(rows.map((r) => ({ id: r.id, serial: r.serial, status: r.status, letter: openLetter(d.pii, r.body) }))),
    );
  });

  get('/web/letters/:id', async (ctx) => {
    const to = d.oauth.redirectFor(ctx, (await d.ready()).sessions);
    if (to) {
      ctx.redirect(to);
      return;
    }
    const w = await d.ready();
    const phone = w.sessions.phoneOf(ctx);
    const id = ctx.params.id!;
    if (!phone) return verifyPage(ctx, uuid.test(id) ? `/web/letters/${id}` : '/web/letters', 'web.verify.whyLetter');
    const view = await ownLetter(d, phone, id);
    // Someone else's letter and a letter that does not exist look the same.
    if (!view) return notFound(ctx, 'web.err.letterNotFound');
    const submitted = ctx.query.submitted === '1';
    const notice =
      ctx.query.survey === 'recorded'
        ? t('web.survey.recorded')
        : ctx.query.survey === 'late'
          ? t('web.survey.tooLate')
          : null;
    await render(
      ctx,
      t('web.letter.title'),
      letterBody(view, { csrf: w.sessions.csrfToken(ctx), submitted, notice, errors: {} }),
      submitted && !view.serial ? { refreshSeconds: 3 } : {},
    );
  });

  post('/web/letters/:id/survey', async (ctx) => {
    const w = await d.ready();
    const form = await readForm(ctx, FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    const phone = w.sessions.phoneOf(ctx);
    const id = ctx.params.id!;
    if (!phone) {
      ctx.status = 303;
      ctx.redirect(`/web/letters/${uuid.test(id) ? id : ''}`);
      return;
    }
    const view = await ownLetter(d, phone, id);
    if (!view) return notFound(ctx, 'web.err.letterNotFound');
    const survey = await d.db
      .selectFrom('surveys')
      .select(['id', 'state'])
      .where('letter_id', '=', view.id)
      .executeTakeFirst();
    const score = Number(form.field('score'));
    const reason = form.field('reason');
    const errors: FieldErrors = {};
    if (score !== 1 && score !== 2 && score !== 3) errors.score = t('web.err.survey');
    if ([...reason].length > 500) errors.reason = t('web.err.reasonLong');
    if (!survey || Object.keys(errors).length > 0) {
      ctx.status = survey ? 422 : 409;
      return render(
        ctx,
        t('web.letter.title'),
        letterBody(view, { csrf: w.sessions.csrfToken(ctx), submitted: false, notice: null, errors }),
      );
    }
    const answer = { score: score as 1 | 2 | 3, ...(reason ? { reason } : {}), channel: 'web' };
    const outcome = await d.db.transaction().execute((tx) => answerSurvey(tx, d.config, survey.id, answer));
    d.wakeup.wake('deliveries');
    d.wakeup.wake('events');
    ctx.status = 303;
    // An expired or withdrawn survey took no answer: the page says it has ended.
    const said = outcome === 'too_late' ? 'late' : outcome === 'expired' ? 'ended' : 'recorded';
    ctx.redirect(`/web/letters/${view.id}?survey=${said}`);
  });

  post('/web/logout', async (ctx) => {
    const w = await d.ready();
    const form = await readForm(ctx, FORM_LIMIT);
    await csrfOk(ctx, form.field('_csrf'));
    w.sessions.signOut(ctx);
    ctx.status = 303;
    ctx.redirect('/web/');
  });
}

/** The topics citizens can choose: the current taxonomy (cached by the store), by code and name. */
async function topicChoices(d: WebDeps): Promise<TopicChoice[]> {
  const taxonomy = await classificationFor(d.db, d.config).taxonomy.current();
  return taxonomy.topics.map((c) => ({ code: c.code, name: c.name }));
}

/** The regions citizens can choose: the city's districts/counties with their townships/streets (loaded once). */
async function regionChoices(d: WebDeps): Promise<RegionChoice[]> {
  const regions = await classificationFor(d.db, d.config).regions();
  return regions.counties.map((c) => ({
    code: c.code,
    name: c.name,
    streets: regions.streetsOf(c.code).map((s) => ({ code: s.code, name: s.name })),
  }));
}

const introFor = (next: string): MessageKey =>
  next.startsWith('/web/drafts/') ? 'web.verify.why' : 'web.verify.whyLetter';

async function loadDraft(d: WebDeps, id: string) {
  if (!uuid.test(id)) return null;
  const row = await d.webDb.selectFrom('web_drafts').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? { id: row.id, content: row.content as DraftContent, letterId: row.letter_id, oaOpenid: row.oa_openid }
    : null;
}

/** Through the core's intake, once: the draft id is the source message id, so a second submit finds the first letter. */
export async function submitDraft(
  d: WebDeps,
  draftId: string,
  c: DraftContent,
  oaOpenid: string | null,
  mailbox: { id: string; name: string; region: { code: string; name: string } | null },
  phone: string,
) {
  const receivedAt = new Date().toISOString();
  const withAddress =
    c.address && !c.location ? `${c.body}\n\n${t('web.letter.addressInBody', { address: c.address })}` : c.body;
  const draft: Omit<LetterDraft, 'sourceMessages'> = {
    channel: 'web',
    receivedAt,
    citizen: { channelUserId: phone, phone, phoneVerified: true, anonymous: false },
    mailbox: { id: mailbox.id, name: mailbox.name },
    kind: c.kind,
    ...(c.topic ? { topic: c.topic } : {}),
    ...(c.region ? { region: c.region } : mailbox.region ? { region: mailbox.region } : {}),
    ...(c.title ? { title: c.title } : {}),
    body: withAddress,
    attachments: c.photos.map((p) => ({
      kind: 'image' as const,
      url: d.attachments.signedUrl(p.attachmentId),
      contentType: p.contentType,
      bytes: p.bytes,
      sha256: p.sha256,
    })),
    ...(c.location ? { location: { ...c.location, ...(c.address ? { address: c.address } : {}) } } : {}),
    visibility: c.visibility,
  };
  const r = await d.intake.submit({
    draft,
    sources: [
      {
        providerMessageId: `draft:${draftId}`,
        receivedAt,
        type: 'web-form',
        payload: { draftId, ...(oaOpenid ? { oaOpenid } : {}) },
      },
    ],
  });
  await d.webDb.updateTable('web_drafts').set({ letter_id: r.letterId }).where('id', '=', draftId).execute();
  return r.letterId;
}

async function ownLetter(d: WebDeps, phone: string, id: string): Promise<LetterView | null> {
  if (!uuid.test(id)) return null;
  const row = await d.db
    .selectFrom('letters')
    .select(['id', 'status', 'serial', 'body', 'received_at', 'forwarded_at', 'status_changed_at'])
    .where('id', '=', id)
    .where('channel', '=', 'web')
    // Letters name the citizen by the phone's token (privacy/pii-ids.ts); rows from before tokens by the phone.
    .where('citizen_id', 'in', await idForms(d.db, d.pii, phone))
    .executeTakeFirst();
  if (!row) return null;
  const survey = await d.db
    .selectFrom('surveys')
    .select(['state', 'score'])
    .where('letter_id', '=', row.id)
    .executeTakeFirst();
  return {
    id: row.id,
    status: row.status,
    serial: row.serial,
    letter: openLetter(d.pii, row.body),
    timeline: await timelineOf(d.db, row),
    survey: survey ?? null,
  };
}
