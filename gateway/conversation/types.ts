// The contract between message channels (official account, SMS) and the channel-independent conversation module,
// which turns a sender's messages into draft letters and commands. Channels parse their wire format into
// InboundMessage and hand it over; everything after that is the conversation module's.
import type { Channel } from '../../shared/letter.js';

export interface InboundMessage {
  /** A message channel: one that registered itself with the conversation module. */
  channel: Channel;
  /** openid (official account) or E.164 phone (SMS). */
  senderId: string;
  /** Dedup key within the channel: MsgId; FromUserName+CreateTime+Event for events; sequence_id+phone for SMS. */
  providerMessageId: string;
  receivedAt: Date;
  type: 'text' | 'voice' | 'image' | 'video' | 'location' | 'link';
  /** Text content; for a link, its title, description and URL. */
  text?: string;
  /** Speech recognition of a voice message (WeChat `Recognition`). */
  transcript?: string;
  /** Media still held by the channel (WeChat media id, expiring after 3 days): fetched through the channel's hook. */
  media?: { mediaId: string; kind: 'image' | 'voice' | 'video'; format?: string };
  location?: { latitude: number; longitude: number; label?: string };
  /** The raw push as parsed, kept as provenance with the letter. */
  payload: unknown;
}

/** A stored attachment (bytes kept by the gateway, deduplicated by sha256). */
export interface AttachmentRef {
  attachmentId: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

export type MediaFetchResult =
  | { ok: true; attachment: AttachmentRef }
  /** `retry`: a transient failure, try again later; otherwise the media is recorded as missing. */
  | { ok: false; retry: boolean; reason: string };

/** What a channel tells the conversation module about itself. */
export interface ConversationChannel {
  channel: InboundMessage['channel'];
  /** Longest text (in characters) one outbound message part may carry; longer answers are split in parts. */
  partChars: number;
  /** The sender id is the citizen's phone (E.164), so a letter from it carries that phone (SMS). */
  senderIsPhone?: boolean;
  /** Fetches a message's media into the attachment store (official account); SMS has none. */
  fetchMedia?(message: InboundMessage): Promise<MediaFetchResult>;
}

export interface Conversation {
  registerChannel(c: ConversationChannel): void;
  /** What a channel declared when it registered; undefined for a channel that does not converse (mini-program). */
  registered(channel: string): ConversationChannel | undefined;
  /**
   * Stores the messages durably (a message seen before, same channel + providerMessageId, is skipped) and wakes their
   * processing. Resolves once committed: the channel may then acknowledge the provider.
   */
  accept(messages: InboundMessage[]): Promise<{ accepted: number; duplicates: number }>;
}
