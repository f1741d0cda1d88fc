// Text of the console's question boxes (ui/dialog.js).
export const messages = {
  'console.dialog.ok': '确定',
  'console.dialog.cancel': '取消',
  'console.dialog.reasonHint': '原因将记入审计日志',
  'console.dialog.reasonLabel': '原因（{hint}）',
  'console.dialog.reasonTooShort': '请填写原因（至少 2 个字）',
} as const;
