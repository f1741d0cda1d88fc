// The mini-program channel's own outcome codes as staff read them (see outbound.ts).
export const messages = {
  'channel.wechat-mp': '小程序',
  'origin.wechat-mp': '小程序',
  'errorCode.no_consent': '市民没有可用的订阅授权，改用下一种方式',
  'errorCode.template_data': '模板数据不符合微信订阅消息的字段限制',
} as const;
