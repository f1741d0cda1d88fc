// Text the console's ui/preview.js shows, read there through t() from ui/i18n.js.
export const messages = {
  'console.preview.xiuZhengCuoWu': '修正错误后显示预览',
  'console.preview.gongGeZiFu': '共 {chars} 个字符，计 {segments} 条短信（70 字以内 1 条，超出按每条 67 字计）',
  'console.preview.ziJieShangXian': '{bytes} 字节（上限 2048）',
  'console.preview.xiaoChengXuDing': '小程序订阅消息',
  'console.preview.fuWuTongZhi': '服务通知',
  'console.preview.dianJiJinRu': '点击进入：{link}',
  'console.preview.moBanId': '模板 ID：{templateId}',
  'console.preview.xinZeng': '新增',
  'console.preview.shanChu': '删除',
  'console.preview.xiangTong': '相同',
  'console.preview.yiXiuGai': '已修改',
  'console.preview.gongGeZiDuan': '共 {changed} 个字段不同（删去的字词加删除线，新增的字词高亮）',
  'console.preview.liangGeBanBen': '两个版本内容相同',
  'console.preview.ziDuan': '字段',
} as const;
