// Text the console's ui/i18n.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.i18n.unknownErrorCode': '错误代码 {code}（目录中暂无说明）',
} as const;
