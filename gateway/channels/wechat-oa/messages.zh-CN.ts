// The official account's name as staff read it (its provider codes are shared WeChat ones, in wechat-common/).
export const messages = {
  'channel.wechat-oa': '公众号',
  'origin.wechat-oa': '公众号',
  'wechatOa.form.keFuXiaoXi': '客服消息正文',
  'wechatOa.form.moBanId': '模板 ID',
  'wechatOa.form.tiaoZhuanWangZhi': '跳转网址（https，可留空）',
  'wechatOa.form.xiaoChengXuYe': '小程序页面（可留空）',
  'wechatOa.form.ziDuanYingShe': '字段映射（每行：字段名=取值，如 thing2={{title}}）',
  'wechatOa.form.ziDuanXianShi': '字段显示名称（每行：字段名=名称，仅用于预览）',
} as const;
