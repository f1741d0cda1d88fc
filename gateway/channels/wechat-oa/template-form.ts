// The console's template forms of the official account's routes: customer-service text, template and subscribe messages.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formMap, formText } from '../template-form-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const oaTemplateForms: Record<string, readonly TemplateFormField[]> = {
  custom: [formText('text', format(messages, 'wechatOa.form.customText'))],
  template: [
    formInput('templateId', format(messages, 'wechatOa.form.templateId')),
    formInput('url', format(messages, 'wechatOa.form.url'), true),
    formInput('miniprogram.pagepath', format(messages, 'wechatOa.form.miniprogramPage'), true),
    formMap('data', format(messages, 'wechatOa.form.fields')),
    formMap('labels', format(messages, 'wechatOa.form.fieldLabels')),
  ],
  subscribe: [
    formInput('templateId', format(messages, 'wechatOa.form.templateId')),
    formInput('page', format(messages, 'wechatOa.form.url'), true),
    formInput('miniprogram.pagepath', format(messages, 'wechatOa.form.miniprogramPage'), true),
    formMap('data', format(messages, 'wechatOa.form.fields')),
    formMap('labels', format(messages, 'wechatOa.form.fieldLabels')),
  ],
};
