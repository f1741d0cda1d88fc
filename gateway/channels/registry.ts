// The channels the gateway knows. Adding a channel is one folder under channels/ and one line here.
import type { Channel } from '../../shared/letter.js';
import type { ChannelAdapter, ChannelModule, ChannelRoute } from './adapter.js';
import type { GatewayServices } from '../services.js';
import { addMessages } from '../i18n/index.js';
import { messages as wechatCommonMessages } from './wechat-common/messages.zh-CN.js';
import { wechatOaChannel } from './wechat-oa/index.js';
import { wechatMpChannel } from './wechat-mp/index.js';
import { smsChannel } from './sms/index.js';
import { webChannel } from './web/index.js';

const modules: Record<Channel, ChannelModule> = {
  'wechat-oa': wechatOaChannel,
  'wechat-mp': wechatMpChannel,
  sms: smsChannel,
  web: webChannel,
};

/**
 * Every channel's template routes, known whether or not the channel is enabled: staff keep, check and import
 * templates of a channel that is switched off.
 */
export const channelRoutes: Readonly<Record<Channel, Readonly<Record<string, ChannelRoute>>>> = Object.fromEntries(
  Object.entries(modules).map(([ch, m]) => [ch, m.routes]),
) as Record<Channel, Readonly<Record<string, ChannelRoute>>>;

// What staff read about each channel's provider codes joins the catalogue as soon as the channels are known, whether
// or not a channel is enabled (old deliveries of a disabled channel still show their errors).
for (const fragment of [wechatCommonMessages, ...Object.values(modules).map((m) => m.messages)]) addMessages(fragment);

export type ChannelRegistry = ReadonlyMap<Channel, ChannelAdapter>;

export function createChannels(services: GatewayServices): ChannelRegistry {
  return new Map(services.config.CHANNELS.map((ch) => [ch, modules[ch].create(services)] as const));
}
