// Text of early warning alerts as staff and the WeCom group read it.
export const messages = {
  'warnings.cluster.title': '多位市民反映同一事项：{excerpt}',
  'warnings.spike.title': '{topic}·{region}来信激增：24小时{count}件，常态约{baseline}件',
  'warnings.unknown': '未分类',
  'warnings.wecom.heading': '综合预警',
  'warnings.wecom.letters': '来信{letters}件，市民{citizens}位',
  'warnings.wecom.span': '首件{first}，末件{last}',
  'warnings.wecom.link': '详情见管理后台“预警”页',
} as const;

export type WarningMessage = keyof typeof messages;

/** The message with `{name}` placeholders filled in. */
export function say(key: WarningMessage, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
