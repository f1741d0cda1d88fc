// What both WeChat channels share: where WeChat's API is reached.
import { setting, url, type SettingFragment } from '../../lib/setting.js';

export const wechatCommonSettings = {
  WECHAT_API_BASE: setting(url, 'WeChat API base URL (an egress proxy in government networks).', {
    default: 'https://api.weixin.qq.com',
  }),
} satisfies SettingFragment;
