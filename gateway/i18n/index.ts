// The catalogues by language, and the one way code on the server reads a text from them. Channels contribute their
// own fragments (their names, error codes) through the registry, so the core catalogue names no channel's codes.
import { composeCatalogue, format, type Messages } from './catalogue.js';
import { zhCN } from './zh-CN.js';

export const defaultLocale = 'zh-CN';
const byLocale: Record<string, Messages> = { 'zh-CN': zhCN };

/** Every catalogue as it stands, channels' fragments included. */
export const catalogues: Readonly<Record<string, Messages>> = byLocale;

/** Adds a module's zh-CN fragment; a key already defined with another text is a mistake caught at start-up. */
export function addMessages(fragment: Messages, locale = defaultLocale): void {
  byLocale[locale] = composeCatalogue(byLocale[locale] ?? {}, fragment);
}

const current = (): Messages => byLocale[defaultLocale]!;

export const t = (key: string, vars?: Record<string, string | number>): string => format(current(), key, vars);

/** The readable name of `value` in `group` (e.g. `channel`, `sms`), or the value itself when the catalogue has none. */
export const label = (group: string, value: string): string => current()[`${group}.${value}`] ?? value;
