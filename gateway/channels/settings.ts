// Every channel's settings and configuration rules, gathered for config/ — besides registry.ts the one file outside
// the channel folders that names them. A channel declares its settings in its own folder's settings.ts; these files
// import nothing but the setting kit, so the configuration can be read before any channel code is loaded.
import type { Channel } from '../../shared/letter.js';
import { wechatCommonSettings } from './wechat-common/settings.js';
import { wechatOaCredentials, wechatOaSettings } from './wechat-oa/settings.js';
import { wechatMpCredentials, wechatMpSettings } from './wechat-mp/settings.js';
import { smsCredentials, smsProductionProblems, smsSettings } from './sms/settings.js';
import { webCredentials, webSettings } from './web/settings.js';

export interface ChannelConfigRules {
  /** Settings set together or not at all; with none of them set the channel runs against the sandbox. */
  credentials: readonly string[];
  /** What production needs of the channel beyond its credentials, as problems to print. */
  productionProblems?: (c: Readonly<Record<string, unknown>>) => string[];
}

export const channelSettings = {
  ...wechatCommonSettings,
  ...wechatOaSettings,
  ...wechatMpSettings,
  ...smsSettings,
  ...webSettings,
};

export const channelConfigRules: Record<Channel, ChannelConfigRules> = {
  'wechat-oa': { credentials: wechatOaCredentials },
  'wechat-mp': { credentials: wechatMpCredentials },
  sms: { credentials: smsCredentials, productionProblems: smsProductionProblems },
  web: { credentials: webCredentials },
};
