// Text of letters' statuses and of the notes added to long letters, as citizens and staff read them.
export const messages = {
  'letters.statusLabels.received': '已收到',
  'letters.statusLabels.accepted': '已受理',
  'letters.statusLabels.in_progress': '办理中',
  'letters.statusLabels.replied': '已答复',
  'letters.statusLabels.closed': '已办结',
  'letters.statusLabels.rejected': '未受理',
  'letters.longBodyNote': '\n（正文过长，全文见附件）',
  'letters.attachmentDropped': '\n（另有1个附件超出数量上限，未随信转交）',
} as const;
