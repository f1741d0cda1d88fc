// Text of template checks staff read in the editor, and the sample letter previews are rendered with.
export const messages = {
  'templates.keyUnknown': '消息类型 {key} 不在文档列表中（{join}）',
  'templates.routeUnknown': '渠道 {channel} 没有发送方式 {route}（可用：{join}）',
  'templates.variableUnknown': '未知变量 {{{name}}}：只能使用文档列出的变量',
  'templates.variableRequired': '{key}必须包含变量 {join}',
  'templates.or': ' 或 ',
  'templates.sampleHotline': '市民服务热线12345',
  'templates.sampleLetter.title': '小区门口路灯损坏',
  'templates.sampleLetter.body': '小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
  'templates.extras.replyText':
    '您反映的路灯问题已转交区城管局，维修人员已于11月27日更换灯具，现已恢复照明。感谢您的监督。',
  'templates.extras.replySummary': '路灯已于11月27日修复',
  'templates.extras.status': '办理中',
  'templates.extras.statusNote': '已转交区城管局',
  'templates.extras.helpText': '直接发送文字即可写信，发送“查询 流水号 提取码”查看进度。',
  'templates.sample': '示例',
} as const;
