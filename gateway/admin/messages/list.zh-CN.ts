// Text the console's ui/list.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.list.dianJiAnPai': '{text}，点击按{order}排列',
  'console.list.gongDuoBenYe': '共 {total} 多{noun}，本页 {shown} {noun3}',
  'console.list.gongBenYe': '共 {total} {noun}，本页 {shown} {noun3}',
  'console.list.fanYe': '翻页',
  'console.list.diYiYe': '第一页',
  'console.list.shangYiYe': '上一页',
  'console.list.diYe': '第 {page} 页',
  'console.list.xiaYiYe': '下一页',
  'console.list.daoChu': '导出{what}（{format}）',
  'console.list.daoChuHanShi': '导出含市民信息，原因将记入审计日志',
  'console.list.daoChuExcel': '导出 Excel',
  'console.list.daoChuCsv': '导出 CSV',
  'console.list.shengXu': '升序',
  'console.list.jiangXu': '降序',
} as const;
