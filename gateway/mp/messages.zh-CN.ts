// Text the mini-program's app backend (`/mp/…`) answers citizens with: problems, progress messages, survey states,
// the pickers, the public letters board and the message centre's read marks.
export const messages = {
  'mp.letterMissing': '没有找到这封信',
  'mp.clientKeyReused': '提交标识已用于另一封信，请重新填写',
  'mp.letterClosed': '这封信已经办结，不能再补充；如有新的问题，请重新写信',
  'mp.uploadMissing': '有照片未上传成功，请重新添加',
  'mp.mailboxRequired': '请选择信箱',
  'mp.phoneRequired': '请先验证手机号',
  'mp.searchTooLong': '搜索词不超过30个字',
  'mp.progress': '办理进度：{status}',
  'mp.surveyPrompt': '请评价办理结果',
  'mp.surveyThanks': '已评价，感谢您的意见',
  'mp.surveyClosed': '评价时间已过',
  'mp.limitedDetail.serial': '该流水号查询错误次数过多，请一小时后再试',
  'mp.limitedDetail.sender': '查询过于频繁，请一小时后再试',
  'mp.limitedDetail.global': '查询人数过多，请稍后再试',
  'mp.surveyNotOpen': '这封信还不能评价',
  'mp.surveyAnswered': '评价已提交，不能再修改',
  'mp.surveyExpired': '评价已过期',
  'mp.uploadRateLimited': '上传照片过于频繁，请稍后再试',
  'mp.query.unknown': '请求参数有误，请重新打开页面',
  'mp.page.invalid': '页码有误',
  'mp.board.q.tooLong': '搜索词不超过{max}个字',
  'mp.board.q.invalid': '搜索词有误，请换个词试试',
  'mp.board.ref.invalid': '没有找到这封公开来信',
  'mp.mailboxes.q.tooLong': '搜索词不超过{max}个字',
  'mp.mailboxes.q.invalid': '搜索词有误，请换个词试试',
  'mp.messages.id.invalid': '没有找到这条消息',
} as const;

export type MessageKey = keyof typeof messages;

export function say(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
