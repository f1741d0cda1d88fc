// The official account's name as staff read it (its provider codes are shared WeChat ones, in wechat-common/).
export const messages = {
  'channel.wechat-oa': '公众号',
  'origin.wechat-oa': '公众号',
} as const;
