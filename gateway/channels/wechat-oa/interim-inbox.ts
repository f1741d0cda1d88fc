// Holds accepted official-account messages, one row per MsgId, until the conversation module is part of the gateway
// and takes them over through the same `accept` call.
import type { Conversation, ConversationChannel, InboundMessage } from '../../conversation/types.js';
import type { Db } from '../../store/db.js';

export function createInterimInbox(db: Db): Conversation & { channels: ConversationChannel[] } {
  const channels: ConversationChannel[] = [];
  return {
    channels,
    registerChannel(c) {
      channels.push(c);
    },
    async accept(messages: InboundMessage[]) {
      if (messages.length === 0) return { accepted: 0, duplicates: 0 };
      const rows = await db
        .insertInto('wechat_oa_inbox')
        .values(messages.map((m) => ({ provider_message_id: m.providerMessageId, openid: m.senderId, type: m.type, message: JSON.stringify(m), received_at: m.receivedAt })))
        .onConflict((oc) => oc.column('provider_message_id').doNothing())
        .returning('provider_message_id')
        .execute();
      return { accepted: rows.length, duplicates: messages.length - rows.length };
    },
  };
}
