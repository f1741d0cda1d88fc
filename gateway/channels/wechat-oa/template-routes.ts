// The official account's routes of staff templates: customer-service text (within 48 hours of the citizen's last
// message), template messages and subscription messages — each with its content shape, send-time checks, preview
// and console form.
import { z } from 'zod';
import type { ChannelRoute } from '../adapter.js';
import { checkCard, fieldMap, labels, pagePath, templateId } from '../wechat-common/template-card.js';
import { checkOaText, utf8Bytes } from './template-text.js';
import { oaTemplateForms } from './template-form.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const miniprogram = z.object({ appid: z.string().trim().optional(), pagepath: pagePath }).strict().optional();

export const oaRoutes: Readonly<Record<string, ChannelRoute>> = {
  custom: {
    content: z.object({ text: z.string().trim().min(1, format(messages, 'wechatOa.template.notEmpty')) }).strict(),
    form: oaTemplateForms.custom!,
    check(r) {
      const text = r.text as string;
      return {
        problems: checkOaText(text).map((p) => ({ ...p, field: 'content.text' })),
        preview: { kind: 'text', text, bytes: utf8Bytes(text) },
      };
    },
  },
  template: {
    content: z
      .object({ templateId, url: z.url({ protocol: /^https$/ }).optional(), miniprogram, data: fieldMap, labels })
      .strict(),
    form: oaTemplateForms.template!,
    // The template message truncates overlong values instead of refusing them.
    check: (r) => checkCard(r, true),
  },
  subscribe: {
    content: z
      .object({ templateId, page: z.url({ protocol: /^https$/ }).optional(), miniprogram, data: fieldMap, labels })
      .strict(),
    form: oaTemplateForms.subscribe!,
    check: (r) => checkCard(r, false),
  },
};
