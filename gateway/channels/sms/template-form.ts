// The console's template form of the SMS route: the approved Aliyun template, its signature and parameter mapping.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formList, formMap, formNumbers, formText } from '../template-form-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const smsTemplateForms: Record<string, readonly TemplateFormField[]> = {
  sms: [
    formInput('templateCode', format(messages, 'sms.form.templateCode')),
    formInput('signName', format(messages, 'sms.form.signName'), true),
    formMap('params', format(messages, 'sms.form.params')),
    formNumbers('maxChars', format(messages, 'sms.form.maxChars')),
    formList('cut', format(messages, 'sms.form.cut')),
    formText('text', format(messages, 'sms.form.text')),
  ],
};
