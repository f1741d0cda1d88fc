// Text the console's ui/page-keys.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.keys.apiMiYao': 'API 密钥',
  'console.keys.xinMiYaoZhi': '新密钥（只显示这一次，请立即复制保存）：',
  'console.keys.chuangJianShiBai': '创建失败：{message}',
  'console.keys.xinJianMiYao': '新建密钥',
  'console.keys.mingCheng': '名称',
  'console.keys.quanXian': '权限',
  'console.keys.chuangJian': '创建',
  'console.keys.zuiJinShiYong': '最近使用',
  'console.keys.zhuangTai': '状态',
  'console.keys.yiDiaoXiao': '已吊销 {fmtTime}',
  'console.keys.youXiao': '有效',
  'console.keys.diaoXiaoMiYao': '吊销密钥“{name}”？',
  'console.keys.shiYongTaDe': '使用它的系统会立即无法调用。',
  'console.keys.yiDiaoXiao2': '已吊销',
  'console.keys.diaoXiao': '吊销',
} as const;
