// The official account's name as staff read it (its provider codes are shared WeChat ones, in wechat-common/).
export const messages = {
  'channel.wechat-oa': '公众号',
  'origin.wechat-oa': '公众号',
  'wechatOa.form.customText': '客服消息正文',
  'wechatOa.form.templateId': '模板 ID',
  'wechatOa.form.url': '跳转网址（https，可留空）',
  'wechatOa.form.miniprogramPage': '小程序页面（可留空）',
  'wechatOa.form.fields': '字段映射（每行：字段名=取值，如 thing2={{title}}）',
  'wechatOa.form.fieldLabels': '字段显示名称（每行：字段名=名称，仅用于预览）',
} as const;
