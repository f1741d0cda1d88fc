// Text the console's ui/page-reports.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.reports.yiShengCheng': '已生成',
  'console.reports.yueFen': '月份 ',
  'console.reports.shengChengBaoGao': '生成报告',
  'console.reports.yueDuFenXi': '月度分析汇报',
  'console.reports.zanWuBaoGao': '暂无报告。',
  'console.reports.yueFen2': '月份',
  'console.reports.shengChengShiJian': '生成时间',
  'console.reports.shengChengRen': '生成人',
  'console.reports.xiaZai': '下载',
  'console.reports.ziDongShengCheng': '自动生成',
  'console.reports.wangYeKeDa': '网页（可打印为 PDF）',
} as const;
