// The console's template form of the SMS route: the approved Aliyun template, its signature and parameter mapping.
import type { TemplateFormField } from '../adapter.js';
import { formInput, formList, formMap, formNumbers, formText } from '../template-form-fields.js';

export const smsTemplateForms: Record<string, readonly TemplateFormField[]> = {
  sms: [
    formInput('templateCode', '模板代码（如 SMS_123456789）'),
    formInput('signName', '短信签名（留空用网关默认签名）', true),
    formMap('params', '参数映射（每行：参数名=取值，取值可用 {{变量}}）'),
    formNumbers('maxChars', '模板允许更长的参数（每行：参数名=字符数，默认 35）'),
    formList('cut', '超长时截断的参数（逗号分隔，如 summary）'),
    formText('text', '审核通过的模板正文（用 ${参数名}，用于预览和计算长度）'),
  ],
};
