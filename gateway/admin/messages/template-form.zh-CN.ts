// Text the console's ui/template-form.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.template-form.cuoWu': '错误',
  'console.template-form.tiXing': '提醒',
} as const;
