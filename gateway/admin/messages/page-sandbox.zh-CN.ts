// Text the console's ui/page-sandbox.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.sandbox.shaXiangMoNi': '沙箱模拟',
  'console.sandbox.suoYouQuDao': '所有渠道都已接入真实服务，没有沙箱可模拟。',
  'console.sandbox.wangGuanHaiMei': '网关还没有给这位市民发过消息',
  'console.sandbox.shiJian': '时间',
  'console.sandbox.quDao': '渠道',
  'console.sandbox.fangShi': '方式',
  'console.sandbox.neiRong': '内容',
  'console.sandbox.yiShiMinShen':
    '以市民身份发消息：公众号和短信消息与真实推送走同一流程（发送“{join}”或静默 {quietSeconds} 秒后成为来信；也可发“查询 流水号 提取码”、满意度回答等），小程序直接提交来信。下方显示网关发回给这位市民的消息。',
  'console.sandbox.yiFaSongLai': '已发送，来信 {letterId}',
  'console.sandbox.yiFaSong': '已发送',
  'console.sandbox.faSongShiBai': '发送失败：{message}',
  'console.sandbox.shiMinShouJi': '市民（手机号或 openid）',
  'console.sandbox.leiXingXiaoCheng': '类型（小程序来信）',
  'console.sandbox.xiaoXiNeiRong': '消息内容',
  'console.sandbox.yiShiMinShenFen': '以市民身份发送',
  'console.sandbox.zhiDuZhangHao': '只读账号不能模拟',
  'console.sandbox.wangGuanFaHui': '网关发回的消息',
  'console.sandbox.huo': '”或“',
} as const;
