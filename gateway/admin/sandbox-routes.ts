// The simulator, available only for sandboxed channels: staff play a citizen and read what the gateway sent back
// from the sandbox outbox. Official-account and SMS messages go through the conversation module exactly as a push
// would (drafts, the submit word, progress queries, survey answers); a mini-program letter goes through intake, and a
// channel with its own submit path (the web mailbox) takes the letter through it.
import { storedId } from '../privacy/pii-ids.js';
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { channels as channelNames, type Channel } from '../../shared/letter.js';
import type { ChannelRegistry } from '../channels/registry.js';
import { readOutbox } from '../channels/sandbox/outbox.js';
import type { GatewayServices } from '../services.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep } from './mask.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const messageSchema = z
  .object({
    channel: z.enum(channelNames),
    from: z.string().trim().min(3).max(64),
    text: z.string().trim().min(1).max(2000),
    kind: z.enum(['complaint', 'suggestion', 'consultation', 'praise', 'other']).default('consultation'),
  })
  .strict();

export function sandboxRoutes(s: GatewayServices, channels: ChannelRegistry): Router {
  const router = new Router();
  const sandboxed = (ch: string) => (s.config.sandbox.channels as readonly string[]).includes(ch);

  router.get('/sandbox', async (ctx) => {
    ctx.body = {
      channels: s.config.sandbox.channels,
      // Whom the simulator plays on each sandboxed channel, as the channel describes its citizens (the console names
      // no channel): an openid or a phone, the default one, and the kinds when a letter is written whole.
      citizens: s.config.sandbox.channels.flatMap((ch) => {
        const c = channels.get(ch)?.simulatedCitizen;
        return c ? [{ channel: ch, identity: c.identity, defaultId: c.defaultId, kinds: c.kinds ?? null }] : [];
      }),
      caseStore: s.config.sandbox.caseStore,
      submitWords: s.config.CONVERSATION_SUBMIT_WORDS,
      quietSeconds: s.config.CONVERSATION_QUIET_SECONDS,
    };
  });

  router.get('/sandbox/outbox', async (ctx) => {
    const recipient = typeof ctx.query.recipient === 'string' ? ctx.query.recipient : undefined;
    // Staff typed the recipient they play, but other citizens' messages (and numbers in texts) stay masked.
    ctx.body = maskDeep(await readOutbox(s.db, { recipient, limit: 50 }));
  });

  // Refusals staff switch on to watch a delivery plan move on: only for channels whose provider is simulated, so
  // these routes answer 404 for a channel with live credentials.
  const refusable = (channel: string) => {
    const a = channels.get(channel as Channel);
    return a?.mode === 'sandbox' ? (a.sandboxRefusals ?? []) : null;
  };
  router.get('/sandbox/refusals', async (ctx) => {
    const on = await s.db.selectFrom('sandbox_refusals').selectAll().execute();
    ctx.body = {
      channels: [...channels.values()]
        .filter((a) => a.mode === 'sandbox' && (a.sandboxRefusals ?? []).length > 0)
        .map((a) => ({
          channel: a.channel,
          kinds: a.sandboxRefusals,
          on: on
            .filter((r) => r.channel === a.channel)
            .map((r) => ({ kind: r.kind, setBy: r.set_by, setAt: r.set_at })),
        })),
    };
  });
  const refusalTarget = (ctx: { params: Record<string, string | undefined> }) => {
    const { channel = '', kind = '' } = ctx.params;
    const kinds = refusable(channel);
    if (!kinds || !kinds.includes(kind))
      throw new AppError('not_found', { detail: format(messages, 'admin.sandbox.noSuchRefusal') });
    return { channel, kind };
  };
  router.put('/sandbox/refusals/:channel/:kind', requireRole('operator'), async (ctx) => {
    const { channel, kind } = refusalTarget(ctx);
    const staff = staffOf(ctx);
    await s.db
      .insertInto('sandbox_refusals')
      .values({ channel, kind, set_by: staff.username })
      .onConflict((oc) => oc.columns(['channel', 'kind']).doNothing())
      .execute();
    await audit(s.db, staff, {
      action: 'sandbox.refusal.on',
      targetType: 'channel',
      targetId: channel,
      after: { kind },
    });
    ctx.status = 204;
  });
  router.delete('/sandbox/refusals/:channel/:kind', requireRole('operator'), async (ctx) => {
    const { channel, kind } = refusalTarget(ctx);
    await s.db.deleteFrom('sandbox_refusals').where('channel', '=', channel).where('kind', '=', kind).execute();
    await audit(s.db, staffOf(ctx), {
      action: 'sandbox.refusal.off',
      targetType: 'channel',
      targetId: channel,
      before: { kind },
    });
    ctx.status = 204;
  });

  router.post('/sandbox/messages', requireRole('operator'), async (ctx) => {
    const body = parseBody(messageSchema, await readJson(ctx, 16 * 1024));
    // A channel is played only in the sandbox, and only as the citizen it describes.
    const citizen = channels.get(body.channel)?.simulatedCitizen;
    if (!sandboxed(body.channel) || !citizen)
      throw new AppError('conflict', { detail: format(messages, 'admin.notSandboxed', { channel: body.channel }) });
    // A channel that takes messages converses (official account, SMS); the others' messages are letters at once.
    const conversing = s.conversation.registered(body.channel);
    if (citizen.identity === 'phone' && !/^\+\d{8,15}$/.test(body.from)) {
      throw new AppError('request_invalid', {
        problems: [{ field: 'from', message: format(messages, 'admin.smsSenderInvalid') }],
      });
    }
    if (citizen.kinds && !citizen.kinds.includes(body.kind)) {
      throw new AppError('request_invalid', {
        problems: [{ field: 'kind', message: format(messages, 'admin.sandboxKindInvalid') }],
      });
    }
    const now = new Date();
    const providerMessageId = `simulator-${randomUUID()}`;
    const payload = { simulator: staffOf(ctx).username, text: body.text };
    let letterId: string | null = null;
    if (citizen.submitLetter) {
      // The channel's own submit path (the web mailbox: a draft submitted with a verified phone).
      ({ letterId } = await citizen.submitLetter({
        from: body.from,
        text: body.text,
        kind: body.kind,
      }));
    } else if (!conversing) {
      const r = await s.intake.submit({
        draft: {
          channel: body.channel,
          receivedAt: now.toISOString(),
          citizen: { channelUserId: body.from, anonymous: false },
          mailbox: { id: s.config.DEFAULT_MAILBOX_ID, name: s.config.DEFAULT_MAILBOX_NAME },
          kind: body.kind,
          body: body.text,
          attachments: [],
          visibility: 'private',
        },
        sources: [{ providerMessageId, receivedAt: now.toISOString(), type: 'text', payload }],
      });
      letterId = r.letterId;
    } else {
      await s.conversation.accept([
        {
          channel: body.channel,
          // A phone sender is known by its token, as the SMS channel's pushes hand it over (privacy/pii-ids.ts).
          senderId: await storedId(s.db, s.pii, body.from),
          providerMessageId,
          receivedAt: now,
          type: 'text',
          text: body.text,
          payload,
        },
      ]);
    }
    await audit(s.db, staffOf(ctx), {
      action: 'sandbox.message',
      targetType: letterId ? 'letter' : 'citizen',
      targetId: letterId ?? (await storedId(s.db, s.pii, body.from)),
      after: { channel: body.channel },
    });
    ctx.status = 201;
    ctx.body = { letterId };
  });

  return router;
}
