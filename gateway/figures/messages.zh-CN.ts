// Text staff read from the KPI module (wired into the shared catalogue when it exists).
export const messages = {
  'figures.unknown': '（未知）',
  'figures.channel.wechat-mp': '微信小程序',
  'figures.channel.wechat-oa': '微信公众号',
  'figures.channel.sms': '短信',
  'figures.channel.web': '网页',
  'figures.total': '合计',
  'figures.kpi.received': '来信量',
  'figures.kpi.replied': '已回复',
  'figures.kpi.replyRate': '回复办理率',
  'figures.kpi.resolutionRate': '诉求解决率',
  'figures.kpi.satisfactionRate': '满意率',
  'figures.kpi.overdueRate': '超期率',
  'figures.kpi.averageReplyDays': '平均回复周期（天）',
  'figures.kpi.medianReplyDays': '回复周期中位数（天）',
  'figures.kpi.previous': '上期',
} as const;
