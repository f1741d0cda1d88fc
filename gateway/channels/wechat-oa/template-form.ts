// The console's template forms of the official account's routes: customer-service text, template and subscribe messages.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formMap, formText } from '../template-form-fields.js';

export const oaTemplateForms: Record<string, readonly TemplateFormField[]> = {
  custom: [formText('text', '客服消息正文')],
  template: [
    formInput('templateId', '模板 ID'),
    formInput('url', '跳转网址（https，可留空）', true),
    formInput('miniprogram.pagepath', '小程序页面（可留空）', true),
    formMap('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'),
    formMap('labels', '字段显示名称（每行：字段名=名称，仅用于预览）'),
  ],
  subscribe: [
    formInput('templateId', '模板 ID'),
    formInput('page', '跳转网址（https，可留空）', true),
    formInput('miniprogram.pagepath', '小程序页面（可留空）', true),
    formMap('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'),
    formMap('labels', '字段显示名称（每行：字段名=名称，仅用于预览）'),
  ],
};
