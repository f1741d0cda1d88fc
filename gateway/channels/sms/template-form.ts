// The console's template form of the SMS route: the approved Aliyun template, its signature and parameter mapping.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formList, formMap, formNumbers, formText } from '../template-form-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const smsTemplateForms: Record<string, readonly TemplateFormField[]> = {
  sms: [
    formInput('templateCode', format(messages, 'sms.form.moBanDaiMa')),
    formInput('signName', format(messages, 'sms.form.duanXinQianMing'), true),
    formMap('params', format(messages, 'sms.form.canShuYingShe')),
    formNumbers('maxChars', format(messages, 'sms.form.moBanYunXu')),
    formList('cut', format(messages, 'sms.form.chaoChangShiJie')),
    formText('text', format(messages, 'sms.form.shenHeTongGuo')),
  ],
};
