// Text the console's ui/preview.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.preview.fixErrorsFirst': '修正错误后显示预览',
  'console.preview.smsLength': '共 {chars} 个字符，计 {segments} 条短信（70 字以内 1 条，超出按每条 67 字计）',
  'console.preview.byteCount': '{bytes} 字节（上限 2048）',
  'console.preview.subscribeMessage': '小程序订阅消息',
  'console.preview.serviceNotice': '服务通知',
  'console.preview.openLink': '点击进入：{link}',
  'console.preview.templateId': '模板 ID：{templateId}',
  'console.preview.added': '新增',
  'console.preview.removed': '删除',
  'console.preview.sameValue': '相同',
  'console.preview.changed': '已修改',
  'console.preview.fieldsChanged': '共 {changed} 个字段不同（删去的字词加删除线，新增的字词高亮）',
  'console.preview.identical': '两个版本内容相同',
  'console.preview.fieldColumn': '字段',
} as const;
