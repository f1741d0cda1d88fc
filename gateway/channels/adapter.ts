// The one interface every channel implements. The core owns it; a channel is one folder (index, inbound, outbound,
// status) plus one line in registry.ts, and nothing outside that folder knows the channel's wire format.
import type Router from '@koa/router';
import type { Channel, LetterKind } from '../../shared/letter.js';
import type { ZodType } from 'zod';
import type { GatewayServices } from '../services.js';
import type { Config } from '../../config/settings.js';
import type { Preview, TemplateProblem } from '../templates/validation/problems.js';
import type { Messages } from '../i18n/catalogue.js';

/** What the dispatcher hands a channel to send: already rendered from the staff template for `route`. */
export interface OutboundMessage {
  deliveryId: string;
  letterId: string | null;
  channel: Channel;
  /** The citizen on this channel: openid (WeChat) or E.164 phone (SMS). */
  recipient: string;
  /** receipt | reply | notice | survey | service (help answers, confirmations, query results). */
  kind: string;
  /** Which template rendered it, e.g. `receipt`, `reply`, `status.accepted`. */
  templateKey: string;
  route: string;
  /** The template content with every `{{variable}}` filled in; its shape is the route's own. */
  rendered: Record<string, unknown>;
  variables: Readonly<Record<string, string>>;
  /** 1 on the first try of this delivery. */
  attempt: number;
}

/**
 * The outcome of one send. `retry` keeps the route and tries again later; `fallback` means this route cannot reach
 * the citizen now (window closed, consent used up) so the next route of the plan is tried at once; `failed` is
 * permanent (a template bug, an invalid number) and is shown to staff, never retried.
 */
export type SendResult =
  | { outcome: 'sent'; providerMessageId?: string }
  | { outcome: 'delivered'; providerMessageId?: string }
  | { outcome: 'retry'; errorCode?: string; error: string; retryAfterMs?: number }
  | { outcome: 'fallback'; errorCode?: string; error: string }
  | { outcome: 'failed'; errorCode?: string; error: string };

/** A delivery outcome reported later by the provider (delivery report, template send job finished). */
export interface DeliveryReport {
  channel: Channel;
  /** Our delivery id when the provider echoes it (Aliyun OutId), else the provider's message id. */
  deliveryId?: string;
  providerMessageId?: string;
  outcome: 'delivered' | 'failed';
  errorCode?: string;
  at: Date;
}

export interface RoutePlanContext {
  recipient: string;
  kind: string;
  templateKey: string;
  letterId: string | null;
}

/** What a channel knows about its own provider connection, shown to staff on the channels page. */
export interface ChannelHealth {
  /**
   * The provider access token the channel depends on (WeChat), as every instance sees it: `ok` while a token is
   * stored and unexpired, `lastError` why the latest fetch failed. Absent for channels without one.
   */
  token?: { ok: boolean; expiresAt?: string; lastError?: string };
}

/**
 * One input of the staff console's template form for a route. `name` is the path in the template content (`a.b` for
 * a nested field); `map` inputs are `key=value` lines (`numbers`: values are numbers), `list` inputs comma-separated.
 */
export interface TemplateFormField {
  name: string;
  label: string;
  kind: 'input' | 'text' | 'map';
  optional?: boolean;
  numbers?: boolean;
  list?: boolean;
}

/** What a route's send-time checks are given besides the rendered content. */
export interface RouteCheckContext {
  /** The content before rendering: which parts come from `{{variables}}` (their length is only known at send time). */
  source: Record<string, unknown>;
  /** The gateway's configuration (provider defaults such as a signature), when the check runs inside the gateway. */
  config?: Config;
}

/**
 * One way a channel sends a staff template (`sms`, `custom`, `template`, `subscribe`…): the shape of its content, the
 * checks the provider will apply at send time (run on the rendered sample when staff save), the preview, and the
 * console's form. The core's template validation reads only this.
 */
export interface ChannelRoute {
  readonly content: ZodType<Record<string, unknown>>;
  check(rendered: Record<string, unknown>, ctx: RouteCheckContext): { problems: TemplateProblem[]; preview: Preview };
  /** The console's template form inputs, in order. */
  readonly form: readonly TemplateFormField[];
}

/** A letter the console's sandbox simulator posts as a citizen of the channel. */
export interface SimulatedLetter {
  /** The citizen as staff typed it, of the channel's identity kind (`SimulatedCitizen.identity`). */
  from: string;
  text: string;
  kind: LetterKind;
}

/**
 * How a citizen of this channel is known, for the console's sandbox simulator: the console reads it from the API, so it
 * never names a channel to pick whom to play.
 */
export interface SimulatedCitizen {
  /** What names a citizen here: a WeChat openid, or an E.164 phone (SMS sender; the web mailbox's verified phone). */
  readonly identity: 'openid' | 'phone';
  /** The citizen the simulator plays unless staff type another. */
  readonly defaultId: string;
  /** The kinds a citizen picks when a letter is written whole, in a form; absent for channels that converse. */
  readonly kinds?: readonly LetterKind[];
  /**
   * Posts a letter through the channel's own submit path, for a channel whose letters the core's plain intake would
   * not write as the channel does (the web mailbox: a draft submitted with a verified phone). Throws an AppError for a
   * citizen the channel cannot take.
   */
  submitLetter?(letter: SimulatedLetter): Promise<{ letterId: string }>;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  /**
   * `sandbox` when the channel has no provider credentials: its live code sends to a provider simulated inside the
   * gateway, and what the citizen got is recorded in the sandbox outbox.
   */
  readonly mode: 'live' | 'sandbox';
  /**
   * A channel that reaches citizens by phone number: when a letter's own channel cannot reach the citizen and a phone
   * is known, the plan ends with this route to that phone (SMS: `sms`).
   */
  readonly phoneRoute?: string;
  /** Letters from this channel lend their phone to `phoneRoute` only once the citizen verified it (mini-program). */
  readonly requiresVerifiedPhone?: boolean;
  /**
   * The channel's app shows every message on the letter's page, so a letter's message that no route carried is
   * recorded as `fallback` (in-app only), not as failed.
   */
  readonly showsMessagesInApp?: boolean;
  /** Routes to try for one message, best first (e.g. official account: `custom`, then `template`). */
  planRoutes(ctx: RoutePlanContext): Promise<string[]>;
  send(message: OutboundMessage): Promise<SendResult>;
  /** The routes staff write templates for (route → content, checks, preview, console form); the same as `channelRoutes`. */
  readonly routes?: Readonly<Record<string, ChannelRoute>>;
  /**
   * Splits a reply too long for one message on this channel into parts, each queued as its own delivery (with
   * `partNumber`/`partCount`). Without it a reply is one delivery.
   */
  replyParts?(text: string): string[];
  /** Mounts the channel's inbound endpoints (pushes, uplinks, reports, the mini-program API). */
  mount?(router: Router): void;
  /** Registers the channel's scheduled jobs (token refresh, media fetch, draft closing). */
  defineJobs?(jobs: import('../jobs/scheduler.js').Scheduler): void;
  /** The channel's provider state for staff; read on every channels page view, so it must be cheap (no provider calls). */
  health?(): Promise<ChannelHealth>;
  /** In sandbox mode: what staff can make the channel's simulated provider refuse (`window`, `consent`, `quota`, `carrier`). */
  readonly sandboxRefusals?: readonly string[];
  /** Whom the console's sandbox simulator plays on this channel; a channel without it is not offered there. */
  readonly simulatedCitizen?: SimulatedCitizen;
  /** Starts and stops background work owned by the channel. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type ChannelFactory = (services: GatewayServices) => ChannelAdapter;

/**
 * A channel as the registry lists it, known without starting it: its adapter factory, its template routes (the same
 * objects its adapter exposes as `routes`) and its texts. Each channel's index.ts exports one.
 */
export interface ChannelModule {
  create: ChannelFactory;
  routes: Readonly<Record<string, ChannelRoute>>;
  messages: Messages;
}
