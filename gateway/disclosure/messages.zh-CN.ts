// Text of the public disclosure page (公开通报) and its downloads.
export const messages = {
  'public.title': '网络理政公开通报',
  'public.intro':
    '按月公开各部门、各信箱的来信受理、办理、办结和群众评价情况。为保护来信人个人信息，少于{threshold}件的数字及与之相关的比率不予显示（以“—”表示），部分数字按规则同步隐藏，公开数字在满{threshold}件变动后更新。',
  'public.refreshed': '数据更新时间：{at}',
  'public.period': '{period} 月',
  'public.department': '按承办部门',
  'public.mailbox': '按信箱',
  'public.unassigned': '未分派',
  'public.total': '合计',
  'public.col.key': '名称',
  'public.col.received': '受理',
  'public.col.replied': '办理（已回复）',
  'public.col.closed': '办结',
  'public.col.satisfactionRate': '满意率',
  'public.col.overdueRate': '超期率',
  'public.col.replyRate': '回复办理率',
  'public.hidden': '—',
  'public.letters': '公开来信选登',
  'public.letters.none': '暂无公开来信。',
  'public.reply': '答复',
  'public.empty': '暂无数据。',
} as const;

export function say(key: keyof typeof messages, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
