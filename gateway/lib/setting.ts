// How a setting is declared (its schema, default and meaning), and the value shapes settings share. The core's
// settings (config/settings.ts) and each channel's fragment (gateway/channels/<name>/settings.ts) use it.
import { z } from 'zod';
import { addressRuleProblem } from './address-rules.js';

export interface Setting<T extends z.ZodType = z.ZodType> {
  schema: T;
  /** Raw default, parsed by `schema` like a value from the environment. */
  default?: string;
  /** Raw default with NODE_ENV=development (unset NODE_ENV included), where the production default gets in the way of trying things. */
  developmentDefault?: string;
  doc: string;
  /** Secrets are never printed (banner, errors, logs). */
  secret?: boolean;
}

export const setting = <T extends z.ZodType>(
  schema: T,
  doc: string,
  extra: Omit<Setting, 'schema' | 'doc'> = {},
): Setting<T> => ({
  schema,
  doc,
  ...extra,
});

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
export const text = z.string().trim().min(1);
export const list = z.string().transform((s) =>
  s
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean),
);
export const addressList = list.superRefine((rules, ctx) => {
  for (const rule of rules) {
    const problem = addressRuleProblem(rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

/** A group of settings a module contributes: names in capitals, each declared once in the whole gateway. */
export type SettingFragment = Record<string, Setting>;
