// Which templates staff can configure: the message kinds (template keys) with their Chinese names, and the routes a
// template can take on each channel, with the shape of their content. The dispatcher renders the template of
// (channel, key, route) for every route the channel's adapter plans.
import { z } from 'zod';

export const messageKeys: Record<string, string> = {
  receipt: '受理回执',
  reply: '答复',
  reply_notice: '答复提醒',
  'status.accepted': '状态通知：已受理',
  'status.in_progress': '状态通知：办理中',
  'status.replied': '状态通知：已答复',
  'status.closed': '状态通知：已办结',
  survey: '满意度调查',
  survey_reminder: '满意度调查提醒',
  survey_which: '多封来信待评价',
  survey_thanks: '调查致谢',
  survey_closed: '调查已结束',
  reminder: '提醒',
  welcome: '欢迎语',
  help: '帮助',
  optout_confirm: '退订确认',
  resubscribe_confirm: '恢复订阅确认',
  draft_started: '开始写信提示',
  draft_submitted: '来信已提交',
  nothing_to_submit: '没有可提交的内容',
  query_result: '进度查询结果',
  query_not_found: '查询无结果',
  query_usage: '查询用法',
  rate_limited: '发送过于频繁',
};

/** Variables a message must show, whatever the channel: one of each inner list. */
export const requiredVariables: Record<string, string[][]> = {
  receipt: [['serial'], ['extractionCode']],
  reply: [['replyText', 'replySummary']],
  reply_notice: [['serial']],
};

const text = z.string().trim().min(1, '不能为空');
const fieldMap = z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, '至少要有一个字段');
const labels = z.record(z.string(), z.string().max(20)).optional();
const templateId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, '模板 ID 只含字母、数字、_ 和 -');
const pagePath = z
  .string()
  .trim()
  .max(1024)
  .regex(/^[^\s/][^\s]*$/, '小程序页面路径不以 / 开头，不含空格');

export const routeShapes = {
  'sms/sms': smsTemplateShape(),
  'wechat-oa/custom': z.object({ text }).strict(),
  'wechat-oa/template': z
    .object({
      templateId,
      url: z.url({ protocol: /^https$/ }).optional(),
      miniprogram: z.object({ appid: z.string().trim().optional(), pagepath: pagePath }).strict().optional(),
      data: fieldMap,
      labels,
    })
    .strict(),
  'wechat-oa/subscribe': z
    .object({
      templateId,
      page: z.url({ protocol: /^https$/ }).optional(),
      miniprogram: z.object({ appid: z.string().trim().optional(), pagepath: pagePath }).strict().optional(),
      data: fieldMap,
      labels,
    })
    .strict(),
  'wechat-mp/subscribe': z.object({ templateId, page: pagePath.optional(), data: fieldMap, labels }).strict(),
  /** The web mailbox reaches citizens by SMS: an approved SMS template as well. */
  'web/sms': smsTemplateShape(),
} as const;

export type RouteShape = keyof typeof routeShapes;

export function routesOf(channel: string): string[] {
  return Object.keys(routeShapes)
    .filter((k) => k.startsWith(`${channel}/`))
    .map((k) => k.slice(channel.length + 1));
}

export const routeLabels: Record<string, string> = {
  sms: '短信模板',
  custom: '客服消息',
  template: '模板消息',
  subscribe: '订阅消息',
};

/** An approved SMS template: its code, the parameters filled from variables, and the text for preview and checks. */
function smsTemplateShape() {
  return z
    .object({
      templateCode: z
        .string()
        .trim()
        .regex(/^SMS_[A-Za-z0-9_]{1,40}$/, '模板代码形如 SMS_123456789'),
      signName: z.string().trim().optional(),
      params: z.record(z.string(), z.string()),
      /** Longer limits the approved template allows for some parameters (the SMS channel honours the same). */
      maxChars: z.record(z.string(), z.number().int().min(1).max(500)).optional(),
      /** Parameters cut to their limit at a sentence boundary instead of failing. */
      cut: z.array(z.string()).optional(),
      text: text.describe('the approved template text with ${param} placeholders, for preview and length checks'),
    })
    .strict();
}
