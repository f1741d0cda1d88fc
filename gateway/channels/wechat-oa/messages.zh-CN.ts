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
  'wechatOa.template.textRequired': '文本不能为空',
  'wechatOa.template.customTextTooLong':
    '客服消息不能超过 {oA_TEXT_MAX_BYTES} 字节（现为 {bytes} 字节，约 {ceil} 个汉字）',
  'wechatOa.template.customTextNearLimit':
    '客服消息已有 {bytes} 字节，接近 {oA_TEXT_MAX_BYTES} 字节上限，长答复会被拆成多条',
  'wechatOa.template.notEmpty': '不能为空',
  'route.custom': '客服消息',
  'route.template': '模板消息',
  'route.subscribe': '订阅消息',
} as const;
