// The simulated WeChat server API, mounted in the gateway itself in sandbox mode (under /sandbox/providers/wechat):
// the live official-account and mini-program adapters fetch their tokens here and send here, and it answers as
// api.weixin.qq.com would (rules.ts). What it knows of citizens it learned from what the sandbox received: their
// official-account messages (the 48-hour window) and the consents the mini-program reported. Every message call is
// recorded with its delivery for the sandbox outbox; staff can switch refusals on (quota, window, consent).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../store/db.js';
import type { Database } from '../../../store/tables.js';
import { readJson } from '../../../http/body.js';
import { AppError } from '../../../errors.js';
import { deliveryIdOf, recordCall, refusing, SIMULATOR_PATH } from '../../sandbox/simulation.js';
import {
  answers,
  checkMessage,
  checkToken,
  consentAnswer,
  forceRefreshes,
  isAnswer,
  issueToken,
  MESSAGE_PATHS,
  windowAnswer,
  type MessageCheck,
  type WechatAnswer,
} from './rules.js';

export interface SimulatedApp {
  channel: string;
  appId: string;
  secret: string;
}

export const WECHAT_SIMULATOR = `${SIMULATOR_PATH}/wechat`;
const bodyLimit = 64 * 1024;
const FORCED = '/cgi-bin/stable_token#force_refresh';

// Both WeChat channels register their app with the one simulator of a router (the first to mount it mounts it).
const registries = new WeakMap<Router, Map<string, () => Promise<SimulatedApp>>>();

export function mountWechatSimulator(router: Router, db: Db, channel: string, app: () => Promise<SimulatedApp>): void {
  const known = registries.get(router);
  if (known) {
    known.set(channel, app);
    return;
  }
  const apps = new Map([[channel, app]]);
  registries.set(router, apps);
  const all = async () => Promise.all([...apps.values()].map((a) => a()));
  mountRoutes(router, db, all);
}

type Handler = (ctx: Context, call: { deliveryId: string | undefined; body: Record<string, unknown> }) => Promise<void>;

function mountRoutes(router: Router, db: Db, apps: () => Promise<SimulatedApp[]>): void {
  const on = (method: 'get' | 'post', path: string, handler: Handler) => {
    for (const prefix of [WECHAT_SIMULATOR, `${WECHAT_SIMULATOR}/via/:delivery`]) {
      router[method](prefix + path, async (ctx) => {
        const deliveryId = deliveryIdOf(ctx.params.delivery);
        if (ctx.params.delivery !== undefined && !deliveryId)
          throw new AppError('not_found', { detail: 'no such delivery' });
        const raw = method === 'post' ? await readJson(ctx, bodyLimit) : {};
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
          ctx.body = answers.format;
          return;
        }
        ctx.type = 'application/json';
        await handler(ctx, { deliveryId, body: raw as Record<string, unknown> });
      });
    }
  };

  const credentialsAnswer = async (appid: unknown, secret: unknown): Promise<SimulatedApp | WechatAnswer> => {
    const app = (await apps()).find((a) => a.appId === appid);
    if (!app) return answers.invalidAppid;
    return app.secret === secret ? app : answers.invalidSecret;
  };
  /** Each app's last forced refresh, kept as a call row of its own (the AppID as recipient). */
  const forcedAts = async (tx: Db | Transaction<Database>): Promise<Map<string, number>> => {
    const rows = await tx
      .selectFrom('sandbox_provider_calls')
      .select(['recipient', (eb) => eb.fn.max('created_at').as('at')])
      .where('action', '=', FORCED)
      .groupBy('recipient')
      .execute();
    return new Map(rows.map((r) => [r.recipient ?? '', new Date(r.at).getTime()]));
  };
  const token = async (ctx: Context, appid: unknown, secret: unknown, force: boolean) => {
    const app = await credentialsAnswer(appid, secret);
    if (isAnswer(app)) {
      ctx.body = app;
      return;
    }
    // A forced refresh is decided under the app's lock, so parallel ones start one period, 30 s apart at most.
    const t = await db.transaction().execute(async (tx) => {
      const now = Date.now();
      if (force) await sql`select pg_advisory_xact_lock(hashtext(${`wechat-sim-token:${app.appId}`}))`.execute(tx);
      let forcedAt = (await forcedAts(tx)).get(app.appId);
      if (force && forceRefreshes(now, forcedAt)) {
        forcedAt = now;
        await tx
          .insertInto('sandbox_provider_calls')
          .values({
            channel: app.channel,
            provider: 'wechat',
            action: FORCED,
            recipient: app.appId,
            request: JSON.stringify({ force_refresh: true }),
            answer: JSON.stringify({}),
            code: 'forced',
            created_at: new Date(now),
          })
          .execute();
      }
      return issueToken(app.appId, app.secret, now, forcedAt);
    });
    ctx.body = { access_token: t.token, expires_in: t.expiresIn };
  };
  // https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
  on('post', '/cgi-bin/stable_token', async (ctx, { body }) => {
    if (body.grant_type !== 'client_credential') {
      ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' };
      return;
    }
    await token(ctx, body.appid, body.secret, body.force_refresh === true);
  });
  on('get', '/cgi-bin/token', async (ctx) => {
    await token(ctx, ctx.query.appid, ctx.query.secret, false);
  });

  /** The calling app by its token, or the answer to give; staff's quota refusal applies to every message call. */
  const caller = async (ctx: Context): Promise<SimulatedApp | WechatAnswer> => {
    const list = await apps();
    const t = typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
    const forced = await forcedAts(db);
    const checked = checkToken(
      t,
      (id) => list.find((a) => a.appId === id)?.secret,
      (id) => forced.get(id),
      Date.now(),
    );
    if (isAnswer(checked)) return checked;
    const app = list.find((a) => a.appId === checked.appid)!;
    return (await refusing(db, app.channel, 'quota')) ? answers.quota : app;
  };

  /**
   * A message call: the token and staff's quota refusal, then the request's own checks (rules.ts, shared with the
   * tests' fake of WeChat), then what the route decides from what the simulator knows of the citizen.
   */
  const message = (
    path: string,
    decide: (app: SimulatedApp, body: Record<string, unknown>, checked: Checked) => Promise<Outcome>,
  ) =>
    on('post', path, async (ctx, { deliveryId, body }) => {
      const app = await caller(ctx);
      const checked = checkMessage(path, body);
      const out: Outcome = isAnswer(app)
        ? { answer: app }
        : 'answer' in checked
          ? { answer: checked.answer }
          : await decide(app, body, checked);
      const answer = out.answer;
      // The token checked is the caller's own secret: the record keeps the body only.
      await recordCall(db, {
        deliveryId,
        channel: isAnswer(app) ? 'wechat' : app.channel,
        provider: 'wechat',
        action: path,
        recipient: typeof body.touser === 'string' && body.touser !== '' ? body.touser : null,
        template: typeof body.template_id === 'string' ? body.template_id : null,
        request: body,
        answer: out.msgid ? { ...answer, msgid: out.msgid } : answer,
        code: String(answer.errcode),
        shown: answer.errcode === 0 && !('answer' in checked) ? checked.shown : null,
      });
      // msgid is a 64-bit number, left unquoted as WeChat writes it.
      ctx.body = out.msgid ? `{"errcode":0,"errmsg":"ok","msgid":${out.msgid}}` : JSON.stringify(answer);
    });

  // https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
  message(MESSAGE_PATHS.custom, async (app, _body, { touser }) => {
    if (await refusing(db, app.channel, 'window')) return { answer: answers.window };
    // The window is the citizen's latest interaction as the sandbox received it — a message, or a follow, scan or menu
    // click, as WeChat counts them — with the messages accepted since.
    const r = await sql<{ last: Date | null; sent: string }>`
      with last as (
        select greatest(
          (select max(received_at) from conversation_messages where channel = ${app.channel} and sender_id = ${touser}),
          (select max(received_at) from wechat_oa_events where ${app.channel} = 'wechat-oa' and openid = ${touser}
             and event in ('subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg'))) as at)
      select (select at from last) as last,
             (select count(*) from sandbox_provider_calls c, last where c.channel = ${app.channel} and c.recipient = ${touser}
                and c.action = '/cgi-bin/message/custom/send' and c.code = '0' and c.created_at > last.at)::text as sent`.execute(
      db,
    );
    const last = r.rows[0]?.last;
    const refused = windowAnswer(last ? new Date(last).getTime() : undefined, Number(r.rows[0]?.sent ?? 0), Date.now());
    return { answer: refused ?? ok };
  });

  // https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
  message(MESSAGE_PATHS.template, async (app, body, { touser }) => {
    // One message per openid + client_msg_id: a repeat answers the first message's msgid.
    if (typeof body.client_msg_id === 'string') {
      const earlier = await sql<{ msgid: string }>`
        select answer->>'msgid' as msgid from sandbox_provider_calls where channel = ${app.channel} and recipient = ${touser}
          and action = '/cgi-bin/message/template/send' and code = '0' and request->>'client_msg_id' = ${body.client_msg_id}
        limit 1`.execute(db);
      if (earlier.rows[0]) return { answer: ok, msgid: earlier.rows[0].msgid };
    }
    return { answer: ok, msgid: msgid() };
  });

  // https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html (official account: bizsend)
  message(MESSAGE_PATHS.bizsend, async (app) => ({
    answer: (await refusing(db, app.channel, 'consent')) ? answers.consent : ok,
  }));
  // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
  message(MESSAGE_PATHS.subscribe, async (app, _body, { touser, templateId }) => {
    if (await refusing(db, app.channel, 'consent')) return { answer: answers.consent };
    const template = templateId!;
    // One send per consent the mini-program reported: accepted consents minus the sends already accepted, counted
    // under a lock so parallel sends cannot spend one consent twice.
    const credits = await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`wechat-sim:${touser}:${template}`}))`.execute(tx);
      const c = await sql<{ credits: string }>`
        select ((select count(*) from mp_consent_results where openid = ${touser} and template_id = ${template}
                   and result in ('accept', 'acceptWithAudio'))
              - (select count(*) from sandbox_provider_calls where channel = ${app.channel} and recipient = ${touser}
                   and template = ${template} and code = 'credit'))::text as credits`.execute(tx);
      const left = Number(c.rows[0]?.credits ?? 0);
      // The consent is spent now, inside the lock (a `credit` row, not shown); the call itself is recorded below.
      if (!consentAnswer(left))
        await tx
          .insertInto('sandbox_provider_calls')
          .values({
            channel: app.channel,
            provider: 'wechat',
            action: '/cgi-bin/message/subscribe/send#credit',
            recipient: touser,
            template,
            request: JSON.stringify({}),
            answer: JSON.stringify({}),
            code: 'credit',
          })
          .execute();
      return left;
    });
    const refused = consentAnswer(credits);
    return refused ? { answer: refused } : { answer: ok, msgid: msgid() };
  });
}

type Checked = Exclude<MessageCheck, { answer: WechatAnswer }>;

interface Outcome {
  answer: WechatAnswer;
  msgid?: string;
}

const ok: WechatAnswer = { errcode: 0, errmsg: 'ok' };
const msgid = () => (BigInt.asUintN(62, randomBytes(8).readBigUInt64BE()) + 1000000000000000000n).toString();
