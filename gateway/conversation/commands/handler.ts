// What a command handler gets and returns. Handlers run in order inside the transaction that marks the message
// handled; the first that takes the message answers it, and a message no handler takes joins the sender's draft.
import type { Transaction } from 'kysely';
import type { Config } from '../../../config/settings.js';
import type { Database } from '../../store/tables.js';
import type { Db } from '../../store/db.js';
import type { TemplateValues } from '../../templates/variables.js';
import type { Command } from '../parse.js';
import type { InboundMessage } from '../types.js';

export interface CommandContext {
  tx: Transaction<Database>;
  /**
   * The pool, outside the transaction: for guards that must count at once and across senders (progress-query
   * budgets), without holding their rows locked until this sender's pass commits.
   */
  db: Db;
  config: Config;
  message: InboundMessage;
  /** The sender id stands for the citizen's phone (the channel registered `senderIsPhone`: SMS). */
  senderIsPhone: boolean;
  /** The message text after NFKC folding and whitespace collapsing ('' for media and locations). */
  text: string;
  /** What the shared parser read from the text, if anything. */
  command: Command | null;
  /** Longest text one outbound part may carry on this channel. */
  partChars: number;
  /** Whether a draft letter is open for this sender (e.g. help can say how to finish it). */
  draftOpen: boolean;
  /**
   * Queues an answer to the sender (kind `service`). `letterId` ties it to a letter so it is sent after that
   * letter's earlier messages and in order with its other parts.
   */
  reply(templateKey: string, variables: TemplateValues, opts?: { letterId?: string }): Promise<void>;
}

export interface CommandHandler {
  name: string;
  /** Answers the message and returns true, or returns false to leave it to the next handler or the draft. */
  handle(ctx: CommandContext): Promise<boolean>;
}
