// Text the console's ui/page-sandbox.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.sandbox.heading': '沙箱模拟',
  'console.sandbox.nothingSandboxed': '所有渠道都已接入真实服务，没有沙箱可模拟。',
  'console.sandbox.noMessagesYet': '网关还没有给这位市民发过消息',
  'console.sandbox.time': '时间',
  'console.sandbox.channel': '渠道',
  'console.sandbox.route': '方式',
  'console.sandbox.content': '内容',
  'console.sandbox.intro':
    '以市民身份发消息：公众号和短信消息与真实推送走同一流程（发送“{join}”或静默 {quietSeconds} 秒后成为来信；也可发“查询 流水号 提取码”、满意度回答等），小程序直接提交来信。下方显示网关发回给这位市民的消息。',
  'console.sandbox.sentAsLetter': '已发送，来信 {letterId}',
  'console.sandbox.sent': '已发送',
  'console.sandbox.sendFailed': '发送失败：{message}',
  'console.sandbox.citizen': '市民（手机号或 openid）',
  'console.sandbox.kind': '类型（小程序来信）',
  'console.sandbox.text': '消息内容',
  'console.sandbox.send': '以市民身份发送',
  'console.sandbox.readOnly': '只读账号不能模拟',
  'console.sandbox.outbox': '网关发回的消息',
  'console.sandbox.or': '”或“',
} as const;
