// The mini-program channel's own outcome codes as staff read them (see outbound.ts).
export const messages = {
  'channel.wechat-mp': '小程序',
  'origin.wechat-mp': '小程序',
  'errorCode.no_consent': '市民没有可用的订阅授权，改用下一种方式',
  'errorCode.template_data': '模板数据不符合微信订阅消息的字段限制',
  'wechatMp.form.templateId': '模板 ID',
  'wechatMp.form.page': '小程序页面（如 pages/letter/index?id={{letterId}}）',
  'wechatMp.form.fields': '字段映射（每行：字段名=取值，如 thing2={{title}}）',
  'wechatMp.form.fieldLabels': '字段显示名称（每行：字段名=名称，仅用于预览）',
  'wechatMp.date': '{year}年{month}月{day}日',
  'route.subscribe': '订阅消息',
} as const;
