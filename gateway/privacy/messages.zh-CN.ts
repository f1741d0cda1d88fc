// Text written in place of what a citizen asked to have erased, as staff then read it.
export const messages = {
  'privacy.deliveryCancelled': '市民个人信息已按要求删除，不再发送',
  'privacy.contentErased': '（内容已按市民要求删除）',
} as const;
