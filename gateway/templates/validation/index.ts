// Validates a template as the sending side will use it and renders its preview: the entry's shape, the variables it
// uses, then the rendered message against the channel's limits (SMS length and Aliyun rules, WeChat field types,
// customer-service text size). Errors block saving; warnings are shown.
import { templateEntrySchema, type TemplateEntry } from '../file-format.js';
import { render, variablesUsed } from '../render.js';
import { messageKeys, requiredVariables, routeShapes, routesOf, type RouteShape } from '../catalogue.js';
import { error, warning, type TemplateProblem } from './problems.js';
import { checkSignName, checkSms, smsParamsAsSent, smsSegments, smsText, type SmsParamRules } from './sms.js';
import { checkFieldValue } from './wechat-fields.js';
import { checkOaText, utf8Bytes } from './oa-text.js';
import { sampleValues } from './samples.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from '../messages.zh-CN.js';

export type { TemplateProblem } from './problems.js';

export type Preview =
  | { kind: 'sms'; text: string; chars: number; segments: number }
  | { kind: 'text'; text: string; bytes: number }
  | { kind: 'card'; templateId: string; fields: { key: string; label: string; value: string }[]; link: string | null };

export interface ValidationResult {
  ok: boolean;
  problems: TemplateProblem[];
  entry: TemplateEntry | null;
  preview: Preview | null;
}

export interface ValidationOptions {
  values?: Record<string, string>;
  /** The SMS signature configured for the gateway, used when a template names none. */
  defaultSignName?: string;
}

export function validateTemplate(input: unknown, o: ValidationOptions = {}): ValidationResult {
  const parsed = templateEntrySchema.safeParse(input);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => error(i.path.join('.') || '(template)', i.message)));
  const entry = parsed.data;
  const problems: TemplateProblem[] = [];
  if (!(entry.key in messageKeys))
    problems.push(
      warning(
        'key',
        format(messages, 'templates.keyUnknown', { key: entry.key, join: Object.keys(messageKeys).join('、') }),
      ),
    );
  const shapeKey = `${entry.channel}/${entry.route}`;
  if (!(shapeKey in routeShapes))
    return fail([
      error(
        'route',
        format(messages, 'templates.routeUnknown', {
          channel: entry.channel,
          route: entry.route,
          join: routesOf(entry.channel).join('、'),
        }),
      ),
    ]);
  const shape = routeShapes[shapeKey as RouteShape].safeParse(entry.content);
  if (!shape.success) return fail(shape.error.issues.map((i) => error(['content', ...i.path].join('.'), i.message)));

  const { used, unknown } = variablesUsed(entry.content);
  for (const name of unknown)
    problems.push(error(fieldOf(entry.content, name), format(messages, 'templates.variableUnknown', { name })));
  for (const alternatives of requiredVariables[entry.key] ?? []) {
    if (!alternatives.some((v) => used.includes(v)))
      problems.push(
        error(
          'content',
          format(messages, 'templates.variableRequired', {
            key: messageKeys[entry.key] ?? entry.key,
            join: alternatives.map((v) => `{{${v}}}`).join(format(messages, 'templates.or')),
          }),
        ),
      );
  }
  if (unknown.length > 0) return { ok: false, problems, entry, preview: null };

  const rendered = render(entry.content, o.values ?? sampleValues());
  const checked = checkRendered(shapeKey as RouteShape, rendered, o, entry.content);
  problems.push(...checked.problems);
  return { ok: !problems.some((p) => p.severity === 'error'), problems, entry, preview: checked.preview };
}

function fail(problems: TemplateProblem[]): ValidationResult {
  return { ok: false, problems, entry: null, preview: null };
}

/** The first content field that uses `{{name}}`, so the error shows beside it. */
function fieldOf(content: Record<string, unknown>, name: string, path = 'content'): string {
  for (const [k, v] of Object.entries(content)) {
    if (typeof v === 'string' && new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).test(v)) return `${path}.${k}`;
    if (v && typeof v === 'object') {
      const inner = fieldOf(v as Record<string, unknown>, name, `${path}.${k}`);
      if (inner !== `${path}.${k}`) return inner;
    }
  }
  return path;
}

type Rendered = Record<string, unknown>;

function checkRendered(
  shape: RouteShape,
  r: Rendered,
  o: ValidationOptions,
  source: Rendered,
): { problems: TemplateProblem[]; preview: Preview } {
  if (shape === 'sms/sms' || shape === 'web/sms') {
    const fromVariables = new Set(
      Object.entries(source.params as Record<string, string>)
        .filter(([, v]) => variablesUsed(v).used.length > 0)
        .map(([k]) => k),
    );
    const sign = (r.signName as string | undefined) || o.defaultSignName || '';
    const params = r.params as Record<string, string>;
    const problems: TemplateProblem[] = [];
    const badSign = sign ? checkSignName(sign) : format(messages, 'templates.signNameMissing');
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
  }
  if (shape === 'wechat-oa/custom') {
    const text = r.text as string;
    return {
      problems: checkOaText(text).map((p) => ({ ...p, field: 'content.text' })),
      preview: { kind: 'text', text, bytes: utf8Bytes(text) },
    };
  }
  // Typed fields: the official-account template message truncates overlong values; the others reject the send.
  const truncates = shape === 'wechat-oa/template';
  const data = r.data as Record<string, string>;
  const labels = (r.labels as Record<string, string> | undefined) ?? {};
  const problems: TemplateProblem[] = [];
  for (const [key, value] of Object.entries(data)) {
    const bad = checkFieldValue(key, value);
    if (bad)
      problems.push(
        truncates && /超过|不能超过/.test(bad)
          ? warning(`content.data.${key}`, format(messages, 'templates.truncatedByWechat', { bad }))
          : error(`content.data.${key}`, bad),
      );
  }
  const mp = r.miniprogram as { pagepath: string } | undefined;
  const link = (r.page as string | undefined) ?? mp?.pagepath ?? (r.url as string | undefined) ?? null;
  return {
    problems,
    preview: {
      kind: 'card',
      templateId: r.templateId as string,
      fields: Object.entries(data).map(([key, value]) => ({ key, label: labels[key] ?? key, value })),
      link,
    },
  };
}
