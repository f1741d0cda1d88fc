// Text the console's ui/page-citizens.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.citizens.subjectPlaceholder': '+86 手机号或 openid',
  'console.citizens.reasonPlaceholder': '如：市民申请查阅（工单号）',
  'console.citizens.modeAnonymise': '去标识化（保留来信内容与统计）',
  'console.citizens.modeDelete': '删除（来信内容一并删除）',
  'console.citizens.downloadExport': '下载导出文件',
  'console.citizens.lettersFound': '找到来信 {length} 封（已记入审计日志）。',
  'console.citizens.exportFailed': '导出失败：{problem}',
  'console.citizens.confirmErase': '删除后无法恢复，确定删除该市民的个人信息吗？',
  'console.citizens.erased':
    '已处理来信 {letters} 封，取消待发消息 {cancelledDeliveries} 条，删除记录 {deletedRows} 条（已通知核心系统并记入审计日志）。',
  'console.citizens.eraseFailed': '删除失败：{problem}',
  'console.citizens.heading': '市民个人信息',
  'console.citizens.subjectLabel': '市民（手机号或 openid）',
  'console.citizens.reason': '原因',
  'console.citizens.eraseMode': '删除方式',
  'console.citizens.exportJson': '导出 JSON',
  'console.citizens.erase': '删除个人信息',
} as const;
