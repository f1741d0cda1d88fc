// The console's template form of the mini-program's route: a subscribe message and the page it opens.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formMap } from '../template-form-fields.js';

export const mpTemplateForms: Record<string, readonly TemplateFormField[]> = {
  subscribe: [
    formInput('templateId', '模板 ID'),
    formInput('page', '小程序页面（如 pages/letter/index?id={{letterId}}）', true),
    formMap('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'),
    formMap('labels', '字段显示名称（每行：字段名=名称，仅用于预览）'),
  ],
};
