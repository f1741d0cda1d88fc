// The console's template forms of the official account's routes: customer-service text, template and subscribe messages.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formMap, formText } from '../template-form-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const oaTemplateForms: Record<string, readonly TemplateFormField[]> = {
  custom: [formText('text', format(messages, 'wechatOa.form.keFuXiaoXi'))],
  template: [
    formInput('templateId', format(messages, 'wechatOa.form.moBanId')),
    formInput('url', format(messages, 'wechatOa.form.tiaoZhuanWangZhi'), true),
    formInput('miniprogram.pagepath', format(messages, 'wechatOa.form.xiaoChengXuYe'), true),
    formMap('data', format(messages, 'wechatOa.form.ziDuanYingShe')),
    formMap('labels', format(messages, 'wechatOa.form.ziDuanXianShi')),
  ],
  subscribe: [
    formInput('templateId', format(messages, 'wechatOa.form.moBanId')),
    formInput('page', format(messages, 'wechatOa.form.tiaoZhuanWangZhi'), true),
    formInput('miniprogram.pagepath', format(messages, 'wechatOa.form.xiaoChengXuYe'), true),
    formMap('data', format(messages, 'wechatOa.form.ziDuanYingShe')),
    formMap('labels', format(messages, 'wechatOa.form.ziDuanXianShi')),
  ],
};
