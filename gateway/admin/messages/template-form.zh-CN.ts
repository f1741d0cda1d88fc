// Text the console's ui/template-form.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.template-form.error': '错误',
  'console.template-form.warning': '提醒',
} as const;
