// Text of the problems a letter registration from the case store is refused with.
export const messages = {
  'registrations.phoneInvalid': '请提供可接收短信的中国大陆手机号（11 位，1 开头）',
  'registrations.consentRequired': '市民同意短信回访后才能登记（smsConsent: true）',
} as const;
