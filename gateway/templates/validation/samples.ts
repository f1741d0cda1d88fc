// The sample letter previews are rendered with, and sample values for variables that come from elsewhere than the
// letter (reply text, survey link…), so staff see a realistic message while editing.
import { channels, type Letter } from '../../../shared/letter.js';
import { letterValues, templateVariables, type TemplateValues } from '../variables.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from '../messages.zh-CN.js';

export const sampleLetter: Letter = {
  id: '0192f3a4-5b6c-7d8e-9f00-112233445566',
  schemaVersion: 1,
  // Any channel: no variable depends on it.
  channel: channels[0],
  receivedAt: '2026-11-26T09:30:00+08:00',
  submittedAt: '2026-11-26T09:33:00+08:00',
  citizen: { channelUserId: '+8613800138000', phone: '+8613800138000', anonymous: false },
  mailbox: { id: 'city-12345', name: format(messages, 'templates.sampleHotline') },
  kind: 'complaint',
  title: format(messages, 'templates.sampleLetter.title'),
  body: format(messages, 'templates.sampleLetter.body'),
  attachments: [],
  visibility: 'private',
  extractionCode: '402816',
  sourceMessages: [{ providerMessageId: 'sample-1', receivedAt: '2026-11-26T09:30:00+08:00', type: 'text' }],
};

const extras: TemplateValues = {
  replyText: format(messages, 'templates.extras.replyText'),
  replySummary: format(messages, 'templates.extras.replySummary'),
  status: format(messages, 'templates.extras.status'),
  statusNote: format(messages, 'templates.extras.statusNote'),
  surveyLink: 'pages/survey/index?id=0192f3a4',
  publicBaseUrl: 'https://12345.example.gov.cn',
  helpText: format(messages, 'templates.extras.helpText'),
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
      fromLetter[name as keyof TemplateValues] ??
        extras[name as keyof TemplateValues] ??
        format(messages, 'templates.sample'),
    ]),
  );
}
