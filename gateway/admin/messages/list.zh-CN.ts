// Text the console's ui/list.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.list.sortBy': '{text}，点击按{order}排列',
  'console.list.countMoreShown': '共 {total} 多{noun}，本页 {shown} {noun3}',
  'console.list.countShown': '共 {total} {noun}，本页 {shown} {noun3}',
  'console.list.paging': '翻页',
  'console.list.firstPage': '第一页',
  'console.list.previousPage': '上一页',
  'console.list.pageNumber': '第 {page} 页',
  'console.list.nextPage': '下一页',
  'console.list.exportAs': '导出{what}（{format}）',
  'console.list.exportAudited': '导出含市民信息，原因将记入审计日志',
  'console.list.exportExcel': '导出 Excel',
  'console.list.exportCsv': '导出 CSV',
  'console.list.ascending': '升序',
  'console.list.descending': '降序',
} as const;
