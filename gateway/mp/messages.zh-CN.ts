// Text the mini-program's app backend (`/mp/…`) answers citizens with: request problems of the pickers, the public
// letters board and the message centre's read marks.
export const messages = {
  'mp.query.unknown': '请求参数有误，请重新打开页面',
  'mp.page.invalid': '页码有误',
  'mp.board.ref.invalid': '没有找到这封公开来信',
  'mp.mailboxes.q.tooLong': '搜索词不超过{max}个字',
  'mp.mailboxes.q.invalid': '搜索词有误，请换个词试试',
  'mp.messages.id.invalid': '没有找到这条消息',
} as const;

export type MessageKey = keyof typeof messages;

export function say(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
