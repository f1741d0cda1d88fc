// The mini-program's route of staff templates: a subscribe message and the page it opens, with WeChat's typed-field
// checks, the card preview and the console form.
import { z } from 'zod';
import type { ChannelRoute } from '../adapter.js';
import { checkCard, fieldMap, labels, pagePath, templateId } from '../wechat-common/template-card.js';
import { mpTemplateForms } from './template-form.js';

export const mpRoutes: Readonly<Record<string, ChannelRoute>> = {
  subscribe: {
    content: z.object({ templateId, page: pagePath.optional(), data: fieldMap, labels }).strict(),
    form: mpTemplateForms.subscribe!,
    check: (r) => checkCard(r, false),
  },
};
