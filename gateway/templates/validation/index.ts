// Validates a template as the sending side will use it and renders its preview: the entry's shape, the variables it
// uses, then the rendered message against the checks of the channel's route (the provider's limits: each channel
// declares its routes, see ChannelRoute). Errors block saving; warnings are shown.
import type { Config } from '../../../config/settings.js';
import { templateEntrySchema, type TemplateEntry } from '../file-format.js';
import { render, variablesUsed } from '../render.js';
import { messageKeys, requiredVariables, type ChannelRoutes } from '../catalogue.js';
import { error, warning, type Preview, type TemplateProblem } from './problems.js';
import { sampleValues } from './samples.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from '../messages.zh-CN.js';

export type { Preview, TemplateProblem } from './problems.js';

export interface ValidationResult {
  ok: boolean;
  problems: TemplateProblem[];
  entry: TemplateEntry | null;
  preview: Preview | null;
}

export interface ValidationOptions {
  values?: Record<string, string>;
  /** The gateway's configuration, for the provider defaults a route's checks apply (a signature a template omits). */
  config?: Config;
}

/** The route names of `channel`, for messages and the console. */
export function routesOf(routes: ChannelRoutes, channel: string): string[] {
  return Object.hasOwn(routes, channel) ? Object.keys(routes[channel]!) : [];
}

export function validateTemplate(input: unknown, routes: ChannelRoutes, o: ValidationOptions = {}): ValidationResult {
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
  const ofChannel = Object.hasOwn(routes, entry.channel) ? routes[entry.channel]! : {};
  const route = Object.hasOwn(ofChannel, entry.route) ? ofChannel[entry.route] : undefined;
  if (!route)
    return fail([
      error(
        'route',
        format(messages, 'templates.routeUnknown', {
          channel: entry.channel,
          route: entry.route,
          join: routesOf(routes, entry.channel).join('、'),
        }),
      ),
    ]);
  const shape = route.content.safeParse(entry.content);
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
  const checked = route.check(rendered, { source: entry.content, config: o.config });
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
