// Sends queued deliveries: claims due rows in batches under a lease, keeps each letter's messages in order (a reply
// waits for the receipt, part 2 for part 1), renders the staff template for the route, hands it to the channel, and
// records the attempt. `fallback` moves to the next route at once; `retry` tries the same route later.
import { sql } from 'kysely';
import type { Letter } from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { SendResult } from '../channels/adapter.js';
import type { TemplateStore } from '../templates/store.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { backoffMs } from '../jobs/backoff.js';
import { mapLimited } from '../lib/map-limited.js';
import { render, TemplateError } from '../templates/render.js';
import { letterValues, type TemplateValues } from '../templates/variables.js';
import type { DeliveryStatus, PlanStep } from '../store/tables.js';
import { planDelivery } from './plan.js';
import { deliveryEventData, queueCaseEvents } from '../outbox/case-events.js';

// Re-exported for existing callers; new code imports it from outbox/case-events.ts.
export { deliveryEventData };
import { isOptedOut } from '../conversation/preferences.js';
import { openLetter, type PiiService } from '../privacy/pii-service.js';
import { storedId } from '../privacy/pii-ids.js';
import { retryingConflicts } from '../store/transient.js';
import { cleanText } from '../../shared/text.js';

export interface DispatcherOptions {
  db: Db;
  channels: ChannelRegistry;
  templates: TemplateStore;
  metrics: Metrics;
  log: Logger;
  concurrency: number;
  batchSize: number;
  pollMs: number;
  /** A delivery still failing transiently this long after it was queued gives up. */
  retryDeadlineSeconds: number;
  retryMaxSeconds: number;
  /** A claimed delivery is due again after this, should the instance die mid-pass. */
  leaseSeconds: number;
  onStatusChange?(deliveryIds: string[]): void;
  /** Opens the letter's encrypted phone (SMS fallback) and name (template variables). */
  pii?: PiiService;
  /** The gateway's public address at send time: the `publicBaseUrl` variable follows the setting, never a seed. */
  publicBaseUrl?: () => string;
}

interface ClaimedDelivery {
  id: string;
  letter_id: string | null;
  channel: string;
  recipient: string;
  kind: string;
  template_key: string;
  variables: TemplateValues;
  route: string | null;
  attempts: number;
  created_at: Date;
  plan: PlanStep[] | null;
  plan_step: number;
  letter: Letter | null;
  serial: string | null;
}

interface Final {
  plan: PlanStep[] | null;
  /** The plan step the delivery ended on (or resumes from). */
  step: number;
  status: DeliveryStatus;
  route: string | null;
  templateVersion: number | null;
  rendered: unknown;
  providerMessageId: string | null;
  error: string | null;
  retryInMs?: number;
}

const nonEssentialKinds = new Set(['survey', 'notice']);

/**
 * Claims due deliveries with a lease, with the letter each is for: at most `limit`, those due longest first, each
 * the next one to go to its citizen on its channel.
 */
export function claimDueDeliveries(limit: number, leaseSeconds: number) {
  return sql<ClaimedDelivery>`
    with due as (
      select d.id from deliveries d
      left join letters l on l.id = d.letter_id
      where d.status in ('queued', 'sending') and d.next_attempt_at <= now()
        and (not d.requires_serial or l.serial is not null)
        -- Messages to one citizen on one channel go out in the order they were queued, except that a letter's
        -- receipt goes before its other messages (a reply may be queued before the case store accepted the
        -- letter). Only messages that could go now hold others back: not one waiting for its letter's serial,
        -- nor one scheduled for later and never tried (a survey after a delay).
        and not exists (select 1 from deliveries e
                        where e.channel = d.channel and e.recipient = d.recipient and e.id <> d.id
                          and e.status in ('queued', 'sending')
                          and not (e.attempts = 0 and e.next_attempt_at > now())
                          and (not e.requires_serial
                               or exists (select 1 from letters le where le.id = e.letter_id and le.serial is not null))
                          and case when d.letter_id is not null and e.letter_id = d.letter_id
                                   then case when d.kind = 'receipt' then e.kind = 'receipt' and e.seq < d.seq
                                             else e.kind = 'receipt' or e.seq < d.seq end
                                   else e.seq < d.seq end)
      order by d.next_attempt_at limit ${limit}
      for update of d skip locked)
    , claimed as (
      update deliveries d set status = 'sending', attempts = d.attempts + 1, updated_at = now(),
             next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      from due where d.id = due.id
      returning d.id, d.letter_id, d.channel, d.recipient, d.kind, d.template_key, d.variables, d.route, d.attempts, d.created_at,
                d.plan, d.plan_step)
    select c.*, l.body as letter, l.serial from claimed c left join letters l on l.id = c.letter_id`;
}

export function createDispatcher(o: DispatcherOptions): BatchLoop {
  const loop: BatchLoop = createBatchLoop<ClaimedDelivery>({
    name: 'dispatcher',
    batchSize: o.batchSize,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'sending pass failed'),
    claim: async (limit) => {
      const r = await claimDueDeliveries(limit, o.leaseSeconds).execute(o.db);
      const pii = o.pii;
      return pii ? r.rows.map((d) => (d.letter ? { ...d, letter: openLetter(pii, d.letter) } : d)) : r.rows;
    },
    process: async (batch) => {
      // Attempts and outcomes of the whole batch are written in one transaction at the end: a handful of round trips
      // per batch instead of several per message. A crash before that commit re-sends the batch after the lease, as
      // a crash between a send and its own commit always could.
      const attempts: AttemptRow[] = [];
      const finals = await mapLimited(batch, o.concurrency, async (d) => {
        const final = await sendOne(o, d, attempts).catch((err: unknown): Final => {
          o.log.error({ err, deliveryId: d.id }, 'sending a delivery failed unexpectedly');
          return {
            plan: d.plan,
            step: d.plan_step,
            status: 'queued',
            route: d.route,
            templateVersion: null,
            rendered: null,
            providerMessageId: null,
            error: String(err),
            retryInMs: backoffMs(d.attempts, o.retryMaxSeconds * 1000),
          };
        });
        return { d, final };
      });
      // The messages have gone: a conflict with another instance must not have them sent again (store/transient.ts).
      await retryingConflicts(o.log, 'recording a batch of sent messages', () => recordFinals(o.db, finals, attempts));
      o.onStatusChange?.(batch.map((d) => d.id));
      // Later messages to the same citizens may be due now that these have gone out.
      loop.wake();
    },
  });
  return loop;
}

async function sendOne(o: DispatcherOptions, d: ClaimedDelivery, attempts: AttemptRow[]): Promise<Final> {
  const base = { templateVersion: null, rendered: null, providerMessageId: null, plan: d.plan, step: d.plan_step };
  // After an opt-out only messages about the citizen's own letter (receipt, replies, answers to them) still go out.
  if (nonEssentialKinds.has(d.kind) && (await isOptedOut(o.db, d.channel, d.recipient))) {
    note(
      o,
      attempts,
      d,
      { channel: d.channel, route: d.route ?? 'none' },
      { outcome: 'failed', errorCode: 'opted_out', error: 'the citizen opted out of surveys and notices' },
    );
    return {
      ...base,
      status: 'failed',
      route: d.route,
      error: 'opted_out: the citizen opted out of surveys and notices',
    };
  }
  // A survey answered or expired while this question was on its way is not asked any more.
  if (d.kind === 'survey' && d.letter_id && (await surveyClosed(o.db, d.letter_id))) {
    return {
      ...base,
      status: 'failed',
      route: d.route,
      error: 'survey_closed: the survey was answered, has expired or was withdrawn',
    };
  }
  const plan =
    d.plan ??
    (await planDelivery(o.channels, {
      channel: d.channel,
      recipient: d.recipient,
      kind: d.kind,
      templateKey: d.template_key,
      letterId: d.letter_id,
      letter: d.letter,
      // The phone route's recipient is stored in the plan as the phone's token, like every other recipient.
      storeId: (id) => (o.pii ? storedId(o.db, o.pii, id) : Promise.resolve(id)),
    }));
  if (plan.length === 0)
    return {
      ...base,
      plan,
      status: 'failed',
      route: null,
      error: `channel ${d.channel} is not enabled on this gateway`,
    };
  const values: TemplateValues = {
    ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl() } : {}),
    ...(d.letter ? letterValues(d.letter, d.serial) : {}),
    ...d.variables,
  };
  let last: Final = {
    ...base,
    plan,
    status: 'failed',
    route: null,
    error: `no enabled template "${d.template_key}" for ${d.channel}`,
  };
  // A retried delivery resumes on the step it was on.
  for (let step = Math.min(d.plan_step, plan.length); step < plan.length; step++) {
    const { channel, route, recipient } = plan[step]!;
    // A step on another channel (SMS to the letter's phone) follows that channel's opt-out too: 退订 by SMS stops
    // surveys and notices to that phone whichever letter they belong to.
    if (channel !== d.channel && nonEssentialKinds.has(d.kind) && (await isOptedOut(o.db, channel, recipient))) {
      note(o, attempts, d, plan[step]!, {
        outcome: 'failed',
        errorCode: 'opted_out',
        error: `the citizen opted out of surveys and notices on ${channel}`,
      });
      last = {
        ...base,
        plan,
        step,
        route,
        status: 'failed',
        error: `opted_out: the citizen opted out of surveys and notices on ${channel}`,
      };
      continue;
    }
    const adapter = o.channels.get(channel as never);
    const template = adapter ? await o.templates.current(channel, d.template_key, route) : null;
    if (!adapter || !template || !template.enabled) continue;
    const common = { plan, step, route, templateVersion: template.version };
    let rendered: Record<string, unknown>;
    try {
      rendered = render(template.content, values);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      note(o, attempts, d, plan[step]!, { outcome: 'failed', errorCode: 'template', error: err.message });
      last = {
        ...common,
        rendered: null,
        status: 'failed',
        providerMessageId: null,
        error: `template error: ${err.message}`,
      };
      continue;
    }
    const result = await adapter.send({
      deliveryId: d.id,
      letterId: d.letter_id,
      channel: adapter.channel,
      recipient,
      kind: d.kind,
      templateKey: d.template_key,
      route,
      rendered,
      variables: values,
      attempt: d.attempts,
    });
    note(o, attempts, d, plan[step]!, result);
    switch (result.outcome) {
      case 'sent':
      case 'delivered':
        return {
          ...common,
          rendered,
          status: result.outcome,
          providerMessageId: result.providerMessageId ?? null,
          error: null,
        };
      case 'retry': {
        const age = (Date.now() - new Date(d.created_at).getTime()) / 1000;
        if (age <= o.retryDeadlineSeconds) {
          const wait = result.retryAfterMs ?? backoffMs(d.attempts, o.retryMaxSeconds * 1000);
          return {
            ...common,
            rendered,
            status: 'queued',
            providerMessageId: null,
            error: describe(result),
            retryInMs: wait,
          };
        }
        last = {
          ...common,
          rendered,
          status: 'failed',
          providerMessageId: null,
          error: `gave up after ${d.attempts} tries: ${describe(result)}`,
        };
        continue;
      }
      // A permanent error or an unreachable citizen on this route: the next route of the plan, at once.
      case 'failed':
      case 'fallback':
        last = { ...common, rendered, status: 'failed', providerMessageId: null, error: describe(result) };
        continue;
    }
  }
  // A channel whose app shows every message on the letter's page: a message no push route could carry is still there.
  if (o.channels.get(d.channel as never)?.showsMessagesInApp === true && d.letter_id)
    return { ...last, status: 'fallback', error: `in-app only: ${last.error ?? 'no route'}` };
  return last;
}

async function surveyClosed(db: Db, letterId: string): Promise<boolean> {
  const s = await db.selectFrom('surveys').select('state').where('letter_id', '=', letterId).executeTakeFirst();
  return s !== undefined && s.state !== 'open';
}

function describe(r: Extract<SendResult, { error: string }>): string {
  return r.errorCode ? `${r.errorCode}: ${r.error}` : r.error;
}

interface AttemptRow {
  delivery_id: string;
  channel: string;
  route: string;
  outcome: SendResult['outcome'];
  provider_message_id: string | null;
  error_code: string | null;
  error: string | null;
}

function note(
  o: DispatcherOptions,
  attempts: AttemptRow[],
  d: ClaimedDelivery,
  at: { channel: string; route: string },
  r: SendResult,
): void {
  const errorCode = 'errorCode' in r ? (r.errorCode ?? '') : '';
  o.metrics.deliveries.inc({ channel: at.channel, route: at.route, outcome: r.outcome, error_code: errorCode });
  // Ids, route and outcome only: recipients and texts are personal data.
  o.log.info(
    {
      deliveryId: d.id,
      letterId: d.letter_id,
      kind: d.kind,
      channel: at.channel,
      route: at.route,
      outcome: r.outcome,
      errorCode: errorCode || undefined,
    },
    'delivery attempt',
  );
  attempts.push({
    delivery_id: d.id,
    channel: at.channel,
    route: at.route,
    outcome: r.outcome,
    provider_message_id: 'providerMessageId' in r ? (r.providerMessageId ?? null) : null,
    error_code: 'errorCode' in r ? (r.errorCode ?? null) : null,
    error: 'error' in r ? r.error.slice(0, 1000) : null,
  });
}

/** Writes a batch's attempts and outcomes, and the case store's events for them, in one transaction. */
async function recordFinals(
  db: Db,
  sent: { d: ClaimedDelivery; final: Final }[],
  attemptsMade: AttemptRow[],
): Promise<void> {
  // Providers' answers (error texts, message ids) and exceptions' messages are written as text, and into the case
  // store's jsonb events: one NUL or lone surrogate in them would fail this whole transaction, and the batch would be
  // sent again every lease. The one text rule cleans them where they are written.
  const clean = (v: string | null) => (v === null ? null : cleanText(v));
  const items = sent.map(({ d, final: f }) => ({
    d,
    final: { ...f, error: clean(f.error), providerMessageId: clean(f.providerMessageId) },
  }));
  const attempts = attemptsMade.map((a) => ({
    ...a,
    error: clean(a.error),
    error_code: clean(a.error_code),
    provider_message_id: clean(a.provider_message_id),
  }));
  const col = <T>(f: (x: { d: ClaimedDelivery; final: Final }) => T) => items.map(f);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await db.transaction().execute(async (tx) => {
    if (attempts.length > 0) await tx.insertInto('delivery_attempts').values(attempts).execute();
    // Only rows still `sending` (this claim's lease) take the outcome.
    const updated = await sql<{ id: string }>`
      update deliveries d set status = v.status, route = v.route, template_version = v.template_version, rendered = v.rendered,
             plan = v.plan, plan_step = v.plan_step, provider_message_id = v.provider_message_id, last_error = v.error,
             updated_at = now(), next_attempt_at = now() + make_interval(secs => v.retry_ms / 1000.0),
             sent_at = case when v.status in ('sent', 'delivered') then now() end
      from unnest(${col((x) => x.d.id)}::uuid[], ${col((x) => x.final.status)}::text[], ${col((x) => x.final.route)}::text[],
                  ${col((x) => x.final.templateVersion)}::int[], ${col((x) => json(x.final.rendered))}::jsonb[],
                  ${col((x) => json(x.final.plan))}::jsonb[], ${col((x) => x.final.step)}::int[],
                  ${col((x) => x.final.providerMessageId)}::text[], ${col((x) => x.final.error)}::text[],
                  ${col((x) => Math.round(x.final.retryInMs ?? 0))}::bigint[])
        as v(id, status, route, template_version, rendered, plan, plan_step, provider_message_id, error, retry_ms)
      where d.id = v.id and d.status = 'sending'
      returning d.id`.execute(tx);
    const done = new Set(updated.rows.map((r) => r.id));
    // The case store hears of every outcome of a letter's message (a retry still on its way is not an outcome).
    const events = items
      .filter(({ d, final: f }) => d.letter_id && f.status !== 'queued' && done.has(d.id))
      .map(({ d, final: f }) => ({
        letterId: d.letter_id,
        type: 'delivery.updated' as const,
        data: deliveryEventData(
          d.id,
          d.kind,
          f.plan?.[f.step]?.channel ?? d.channel,
          f.route,
          f.status,
          f.providerMessageId,
          f.error,
        ),
      }));
    await queueCaseEvents(tx, events);
  });
}
