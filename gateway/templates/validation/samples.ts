// The sample letter previews are rendered with, and sample values for variables that come from elsewhere than the
// letter (reply text, survey link…), so staff see a realistic message while editing.
import type { Letter } from '../../../shared/letter.js';
import { letterValues, templateVariables, type TemplateValues } from '../variables.js';

export const sampleLetter: Letter = {
  id: '0192f3a4-5b6c-7d8e-9f00-112233445566',
  schemaVersion: 1,
  channel: 'sms',
  receivedAt: '2026-11-26T09:30:00+08:00',
  submittedAt: '2026-11-26T09:33:00+08:00',
  citizen: { channelUserId: '+8613800138000', phone: '+8613800138000', anonymous: false },
  mailbox: { id: 'city-12345', name: '市民服务热线12345' },
  kind: 'complaint',
  title: '小区门口路灯损坏',
  body: '小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
  attachments: [],
  visibility: 'private',
  extractionCode: '402816',
  sourceMessages: [{ providerMessageId: 'sample-1', receivedAt: '2026-11-26T09:30:00+08:00', type: 'text' }],
};

const extras: TemplateValues = {
  replyText: '您反映的路灯问题已转交区城管局，维修人员已于11月27日更换灯具，现已恢复照明。感谢您的监督。',
  replySummary: '路灯已于11月27日修复',
  status: '办理中',
  statusNote: '已转交区城管局',
  surveyLink: 'pages/survey/index?id=0192f3a4',
  helpText: '直接发送文字即可写信，发送“查询 流水号 提取码”查看进度。',
  partNumber: '1',
  partCount: '2',
};

/** Values for every documented variable: the letter's own, then the extras, then a generic placeholder. */
export function sampleValues(
  letter: Letter = sampleLetter,
  serial: string | null = 'CD20261126000123',
): Record<string, string> {
  const fromLetter = letterValues(letter, serial);
  return Object.fromEntries(
    Object.keys(templateVariables).map((name) => [
      name,
      fromLetter[name as keyof TemplateValues] ?? extras[name as keyof TemplateValues] ?? '示例',
    ]),
  );
}
