// Text the console's ui/page-keys.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.keys.heading': 'API 密钥',
  'console.keys.newKeyOnce': '新密钥（只显示这一次，请立即复制保存）：',
  'console.keys.createFailed': '创建失败：{message}',
  'console.keys.newKey': '新建密钥',
  'console.keys.name': '名称',
  'console.keys.scopes': '权限',
  'console.keys.create': '创建',
  'console.keys.lastUsed': '最近使用',
  'console.keys.status': '状态',
  'console.keys.revokedAt': '已吊销 {fmtTime}',
  'console.keys.active': '有效',
  'console.keys.confirmRevoke': '吊销密钥“{name}”？',
  'console.keys.revokeWarning': '使用它的系统会立即无法调用。',
  'console.keys.revoked': '已吊销',
  'console.keys.revoke': '吊销',
} as const;
