// The channels the gateway knows. Adding a channel is one folder under channels/ and one line here.
import type { Channel } from '../../shared/letter.js';
import type { ChannelAdapter, ChannelFactory, ChannelRoute } from './adapter.js';
import type { GatewayServices } from '../services.js';
import { createSmsChannel } from './sms/index.js';
import { createWechatMpChannel } from './wechat-mp/index.js';
import { createWechatOaChannel } from './wechat-oa/index.js';
import { createWebChannel } from './web/index.js';
import { smsRoutes } from './sms/template-routes.js';
import { mpRoutes } from './wechat-mp/template-routes.js';
import { oaRoutes } from './wechat-oa/template-routes.js';
import { webTemplateRoutes } from './web/template-routes.js';
import { addMessages } from '../i18n/index.js';
import type { Messages } from '../i18n/catalogue.js';
import { messages as smsMessages } from './sms/messages.zh-CN.js';
import { messages as wechatCommonMessages } from './wechat-common/messages.zh-CN.js';
import { messages as wechatMpMessages } from './wechat-mp/messages.zh-CN.js';
import { messages as webMessages } from './web/messages.zh-CN.js';
import { messages as wechatOaMessages } from './wechat-oa/messages.zh-CN.js';

/** What the core reaches of a channel without starting it: its adapter factory, template routes and texts. */
interface ChannelModule {
  create: ChannelFactory;
  /** The same objects its adapter exposes as `routes`. */
  routes: Readonly<Record<string, ChannelRoute>>;
  messages: Messages;
}

const modules: Record<Channel, ChannelModule> = {
  'wechat-oa': { create: createWechatOaChannel, routes: oaRoutes, messages: wechatOaMessages },
  'wechat-mp': { create: createWechatMpChannel, routes: mpRoutes, messages: wechatMpMessages },
  sms: { create: createSmsChannel, routes: smsRoutes, messages: smsMessages },
  web: { create: createWebChannel, routes: webTemplateRoutes, messages: webMessages },
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
