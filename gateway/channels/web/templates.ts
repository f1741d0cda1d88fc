// The web mailbox's outbound messages: SMS templates (route `sms` of channel `web`) whose link opens the letter's
// page. Seeded at start when none exists yet (staff edits are never overwritten). SMS variables may not hold links, so
// the link is fixed text of the approved template and only the letter id is an SMS variable; our copy of that text
// names the address as {{publicBaseUrl}}, filled at send time, so what staff preview and the sandbox shows follows
// PUBLIC_BASE_URL as set now (a live template whose approved link changes must be approved anew at the provider).
import type { TemplateEntry } from '../../templates/file-format.js';
import { messages } from './messages.zh-CN.js';

export function webTemplates(): TemplateEntry[] {
  const sms = (
    key: string,
    templateCode: string,
    params: Record<string, string>,
    text: string,
    cut?: string[],
  ): TemplateEntry => ({
    channel: 'web',
    key,
    route: 'sms',
    enabled: true,
    content: {
      templateCode,
      params: { ...params, id: '{{letterId}}' },
      maxChars: { id: 36 },
      ...(cut ? { cut } : {}),
      text: text.replace('${link}', '{{publicBaseUrl}}/web/letters/${id}'),
    },
  });
  return [
    sms('receipt', 'SMS_486215101', { serial: '{{serial}}', code: '{{extractionCode}}' }, messages['web.sms.receipt']),
    sms('reply', 'SMS_486215102', { serial: '{{serial}}', summary: '{{replyText}}' }, messages['web.sms.reply'], [
      'summary',
    ]),
    sms('survey', 'SMS_486215103', { serial: '{{serial}}' }, messages['web.sms.survey']),
    sms('survey_reminder', 'SMS_486215104', { serial: '{{serial}}' }, messages['web.sms.surveyReminder']),
    sms(
      'status.in_progress',
      'SMS_486215105',
      { serial: '{{serial}}', status: '{{status}}' },
      messages['web.sms.status'],
    ),
    sms('status.closed', 'SMS_486215105', { serial: '{{serial}}', status: '{{status}}' }, messages['web.sms.status']),
  ];
}
