// Text the console's ui/chart.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.chart.date': '日期',
  'console.chart.bucket.day': '日期',
  'console.chart.bucket.week': '周（周一）',
  'console.chart.bucket.month': '月份',
  'console.chart.letterCount': '来信数（封）',
  'console.chart.legend': '图例',
  'console.chart.none': '暂无',
} as const;
