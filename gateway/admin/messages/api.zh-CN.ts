// Text the console's ui/api.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.api.requestFailed': '请求失败（HTTP {status}）',
} as const;
