// The conversation module: official-account and SMS messages in, draft letters and command answers out. `accept`
// only stores and wakes; the processing and media loops do the rest (see processor.ts, media.ts).
// A channel plugs in by calling `services.conversation.registerChannel(...)` from its factory (with `fetchMedia`
// storing bytes through `services.attachments.put`), and `accept(...)` from its push route before acknowledging.
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { Intake } from '../letters/intake.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Wakeup } from '../jobs/wakeup.js';
import type { AttachmentStore } from '../attachments/store.js';
import { storeInbound } from './accept.js';
import { createConversationProcessor } from './processor.js';
import { createMediaLoop } from './media.js';
import { parseMailboxKeywords } from './parse.js';
import type { Conversation, ConversationChannel } from './types.js';
import type { PiiService } from '../privacy/pii-service.js';
import { storedIds } from '../privacy/pii-ids.js';

export interface ConversationDeps {
  config: Config;
  db: Db;
  log: Logger;
  metrics: Metrics;
  intake: Intake;
  wakeup: Wakeup;
  /** Stored media become signed attachment URLs in the letter. */
  attachments: Pick<AttachmentStore, 'signedUrl'>;
  /** Senders that are phone numbers are stored as their tokens (privacy/pii-ids.ts), whoever hands them over. */
  pii?: PiiService;
}

export interface ConversationModule extends Conversation {
  start(): void;
  stop(): Promise<void>;
  /** Resolves when both loops found nothing due (tests). */
  idle(): Promise<void>;
}

export function createConversation(d: ConversationDeps): ConversationModule {
  const channels = new Map<string, ConversationChannel>();
  const processor = createConversationProcessor({
    db: d.db,
    config: d.config,
    log: d.log,
    metrics: d.metrics,
    intake: d.intake,
    channels,
    pollMs: d.config.WORKER_POLL_MS,
    onQueued: () => d.wakeup.wake('deliveries'),
    compose: {
      defaultKind: d.config.CONVERSATION_DEFAULT_KIND,
      defaultMailbox: { id: d.config.DEFAULT_MAILBOX_ID, name: d.config.DEFAULT_MAILBOX_NAME },
      mailboxes: parseMailboxKeywords(d.config.CONVERSATION_MAILBOX_KEYWORDS ?? []),
      submitWords: d.config.CONVERSATION_SUBMIT_WORDS,
      attachmentUrl: (id) => d.attachments.signedUrl(id),
      senderIsPhone: (channel) => channels.get(channel)?.senderIsPhone === true,
    },
  });
  const media = createMediaLoop({
    db: d.db,
    log: d.log,
    metrics: d.metrics,
    channels,
    pollMs: d.config.WORKER_POLL_MS,
    config: d.config,
    onSettled: () => processor.wake(),
  });
  d.wakeup.on('conversation', () => processor.wake());
  // Only messages with media to fetch wake the media loop: a text-only burst would have it claim nothing each time.
  d.wakeup.on('media', () => media.wake());
  return {
    registerChannel(c) {
      channels.set(c.channel, c);
    },
    registered: (channel) => channels.get(channel),
    async accept(given) {
      const pii = d.pii;
      const senders = pii
        ? await storedIds(
            d.db,
            pii,
            given.map((m) => m.senderId),
          )
        : [];
      const messages = pii ? given.map((m, i) => ({ ...m, senderId: senders[i]! })) : given;
      const r = await storeInbound(d.db, messages);
      const channel = messages[0]?.channel ?? 'unknown';
      if (r.accepted > 0) d.metrics.conversationMessages.inc({ channel, outcome: 'accepted' }, r.accepted);
      if (r.duplicates > 0) d.metrics.conversationMessages.inc({ channel, outcome: 'duplicate' }, r.duplicates);
      if (r.accepted > 0) d.wakeup.wake('conversation');
      if (r.withMedia) d.wakeup.wake('media');
      return { accepted: r.accepted, duplicates: r.duplicates };
    },
    start() {
      processor.start();
      media.start();
    },
    async stop() {
      await Promise.all([processor.stop(), media.stop()]);
    },
    async idle() {
      await Promise.all([processor.idle(), media.idle()]);
    },
  };
}
