// The channels the gateway knows. Adding a channel is one folder under channels/ and one line here.
import type { Channel } from '../../shared/letter.js';
import type { ChannelAdapter, ChannelFactory } from './adapter.js';
import type { GatewayServices } from '../services.js';
import { createSmsChannel } from './sms/index.js';
import { createWechatMpChannel } from './wechat-mp/index.js';
import { createWechatOaChannel } from './wechat-oa/index.js';
import { createWebChannel } from './web/index.js';
import { addMessages } from '../i18n/index.js';
import { messages as smsMessages } from './sms/messages.zh-CN.js';
import { messages as wechatCommonMessages } from './wechat-common/messages.zh-CN.js';
import { messages as wechatMpMessages } from './wechat-mp/messages.zh-CN.js';
import { messages as webMessages } from './web/messages.zh-CN.js';
import { messages as wechatOaMessages } from './wechat-oa/messages.zh-CN.js';

const factories: Record<Channel, ChannelFactory> = {
  'wechat-oa': createWechatOaChannel,
  'wechat-mp': createWechatMpChannel,
  sms: createSmsChannel,
  web: createWebChannel,
};

// What staff read about each channel's provider codes joins the catalogue as soon as the channels are known, whether
// or not a channel is enabled (old deliveries of a disabled channel still show their errors).
for (const fragment of [smsMessages, wechatCommonMessages, wechatMpMessages, wechatOaMessages, webMessages])
  addMessages(fragment);

export type ChannelRegistry = ReadonlyMap<Channel, ChannelAdapter>;

export function createChannels(services: GatewayServices): ChannelRegistry {
  return new Map(services.config.CHANNELS.map((ch) => [ch, factories[ch](services)] as const));
}
