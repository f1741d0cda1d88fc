// What an official-account push is: a citizen message for the conversation module, or an event the channel handles
// itself. Dedup keys follow WeChat's advice (messages: MsgId; events: FromUserName + CreateTime, plus Event and its
// key, since one user can trigger two events in the same second). All ids stay strings.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
import type { InboundMessage } from '../../conversation/types.js';
import { field, type PushFields } from '../wechat-common/push-xml.js';

export type Push = { kind: 'message'; message: InboundMessage } | { kind: 'event'; event: OaEvent };

export interface OaEvent {
  dedupKey: string;
  openid: string;
  /** The Event value; `msgtype:<type>` for a message type the gateway does not take as a letter. */
  event: string;
  createdAt: Date;
  fields: PushFields;
}

export class PushShapeError extends Error {}

export function classifyPush(f: PushFields, now = new Date()): Push {
  const openid = field(f, 'FromUserName');
  const msgType = field(f, 'MsgType');
  const createTime = field(f, 'CreateTime');
  if (!openid || !msgType || !createTime || !/^\d{1,12}$/.test(createTime))
    throw new PushShapeError('FromUserName, MsgType and CreateTime are required');
  const createdAt = new Date(Number(createTime) * 1000);
  // A CreateTime from the future would extend the reply window; the receipt time bounds it.
  const receivedAt = createdAt > now ? now : createdAt;
  if (msgType === 'event') {
    const event = field(f, 'Event') ?? '';
    const extra = field(f, 'MsgID') ?? field(f, 'EventKey') ?? '';
    return {
      kind: 'event',
      event: {
        dedupKey: [openid, createTime, event, extra].join('|'),
        openid,
        event,
        createdAt: receivedAt,
        fields: f,
      },
    };
  }
  const msgId = field(f, 'MsgId') ?? [openid, createTime, msgType].join('|');
  const base = { channel: 'wechat-oa' as const, senderId: openid, providerMessageId: msgId, receivedAt, payload: f };
  const media = (kind: 'image' | 'voice' | 'video') => {
    const mediaId = field(f, 'MediaId');
    const format = field(f, 'Format');
    return mediaId ? { media: { mediaId, kind, ...(format ? { format } : {}) } } : {};
  };
  switch (msgType) {
    case 'text':
      return { kind: 'message', message: { ...base, type: 'text', text: field(f, 'Content') ?? '' } };
    case 'image':
      return { kind: 'message', message: { ...base, type: 'image', ...media('image') } };
    case 'voice': {
      const transcript = field(f, 'Recognition');
      return {
        kind: 'message',
        message: { ...base, type: 'voice', ...media('voice'), ...(transcript ? { transcript } : {}) },
      };
    }
    case 'video':
    case 'shortvideo':
      return { kind: 'message', message: { ...base, type: 'video', ...media('video') } };
    case 'location': {
      const latitude = Number(field(f, 'Location_X'));
      const longitude = Number(field(f, 'Location_Y'));
      if (
        !Number.isFinite(latitude) ||
        !Number.isFinite(longitude) ||
        Math.abs(latitude) > 90 ||
        Math.abs(longitude) > 180
      )
        break;
      const label = field(f, 'Label');
      return {
        kind: 'message',
        message: { ...base, type: 'location', location: { latitude, longitude, ...(label ? { label } : {}) } },
      };
    }
    case 'link': {
      const text = [field(f, 'Title'), field(f, 'Description'), field(f, 'Url')].filter((s) => s).join('\n');
      return { kind: 'message', message: { ...base, type: 'link', text } };
    }
  }
  // Anything else is acknowledged and kept as a record, never an error.
  return {
    kind: 'event',
    event: { dedupKey: `msg|${msgId}`, openid, event: `msgtype:${msgType}`, createdAt: receivedAt, fields: f },
  };
}
