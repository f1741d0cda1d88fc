// The channels the gateway knows. Adding a channel is one folder under channels/ and one line here.
import type { Channel } from '../../shared/letter.js';
import type { ChannelAdapter, ChannelFactory } from './adapter.js';
import type { GatewayServices } from '../services.js';
import { createSmsChannel } from './sms/index.js';
import { createWechatMpChannel } from './wechat-mp/index.js';
import { createWechatOaChannel } from './wechat-oa/index.js';
import { createWebChannel } from './web/index.js';

const factories: Record<Channel, ChannelFactory> = {
  'wechat-oa': createWechatOaChannel,
  'wechat-mp': createWechatMpChannel,
  sms: createSmsChannel,
  web: createWebChannel,
};

export type ChannelRegistry = ReadonlyMap<Channel, ChannelAdapter>;

export function createChannels(services: GatewayServices): ChannelRegistry {
  return new Map(services.config.CHANNELS.map((ch) => [ch, factories[ch](services)] as const));
}
