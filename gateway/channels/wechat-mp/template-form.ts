// The console's template form of the mini-program's route: a subscribe message and the page it opens.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formMap } from '../template-form-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const mpTemplateForms: Record<string, readonly TemplateFormField[]> = {
  subscribe: [
    formInput('templateId', format(messages, 'wechatMp.form.templateId')),
    formInput('page', format(messages, 'wechatMp.form.page'), true),
    formMap('data', format(messages, 'wechatMp.form.fields')),
    formMap('labels', format(messages, 'wechatMp.form.fieldLabels')),
  ],
};
