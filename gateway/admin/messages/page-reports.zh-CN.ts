// Text the console's ui/page-reports.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.reports.generated': '已生成',
  'console.reports.monthLabel': '月份 ',
  'console.reports.generate': '生成报告',
  'console.reports.heading': '月度分析汇报',
  'console.reports.none': '暂无报告。',
  'console.reports.month': '月份',
  'console.reports.generatedAt': '生成时间',
  'console.reports.generatedBy': '生成人',
  'console.reports.download': '下载',
  'console.reports.automatic': '自动生成',
  'console.reports.htmlPrintable': '网页（可打印为 PDF）',
} as const;
