// The SMS route of staff templates as the console sees it: an approved SMS template (its code, the parameters filled
// from variables, the text for preview and checks), Aliyun's checks on the rendered sample, the preview with its
// segments, and the form. The web mailbox sends the same kind of template, so it declares this route too.
import { z } from 'zod';
import type { ChannelRoute } from '../adapter.js';
import { variablesUsed } from '../../templates/render.js';
import { error, type TemplateProblem } from '../../templates/validation/problems.js';
import {
  checkSignName,
  checkSms,
  smsParamsAsSent,
  smsSegments,
  smsText,
  type SmsParamRules,
} from './template-checks.js';
import { smsProvider } from './providers/index.js';
import { smsTemplateForms } from './template-form.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** An approved SMS template: its code, the parameters filled from variables, and the text for preview and checks. */
const content = z
  .object({
    templateCode: z
      .string()
      .trim()
      .regex(/^SMS_[A-Za-z0-9_]{1,40}$/, format(messages, 'sms.template.templateCode')),
    signName: z.string().trim().optional(),
    params: z.record(z.string(), z.string()),
    /** Longer limits the approved template allows for some parameters (the SMS channel honours the same). */
    maxChars: z.record(z.string(), z.number().int().min(1).max(500)).optional(),
    /** Parameters cut to their limit at a sentence boundary instead of failing. */
    cut: z.array(z.string()).optional(),
    text: z
      .string()
      .trim()
      .min(1, format(messages, 'sms.template.notEmpty'))
      .describe('the approved template text with ${param} placeholders, for preview and length checks'),
  })
  .strict();

export const smsTemplateRoute: ChannelRoute = {
  content,
  form: smsTemplateForms.sms!,
  check(r, { source, config }) {
    const fromVariables = new Set(
      Object.entries(source.params as Record<string, string>)
        .filter(([, v]) => variablesUsed(v).used.length > 0)
        .map(([k]) => k),
    );
    // The gateway's own signature when a template names none, as the console has always shown it.
    const defaultSignName = config
      ? (smsProvider(config.SMS_PROVIDER).defaultSignName(config) ?? format(messages, 'sms.template.defaultSignName'))
      : undefined;
    const sign = (r.signName as string | undefined) || defaultSignName || '';
    const params = r.params as Record<string, string>;
    const problems: TemplateProblem[] = [];
    const badSign = sign ? checkSignName(sign) : format(messages, 'sms.template.signNameMissing');
    if (badSign) problems.push(error('content.signName', badSign));
    const rules: SmsParamRules = {
      maxChars: r.maxChars as Record<string, number> | undefined,
      cut: r.cut as string[] | undefined,
    };
    problems.push(
      ...checkSms(sign, r.text as string, params, 3, fromVariables, rules).map((p) => ({
        ...p,
        field: p.field === 'text' ? 'content.text' : `content.${p.field}`,
      })),
    );
    const text = smsText(sign, r.text as string, smsParamsAsSent(params, rules));
    return { problems, preview: { kind: 'sms', text, ...smsSegments(text) } };
  },
};

/** The SMS channel's routes: one, the approved template. */
export const smsRoutes: Readonly<Record<string, ChannelRoute>> = { sms: smsTemplateRoute };
