// The catalogues by language, and the one way code on the server reads a text from them.
import { format, type Messages } from './catalogue.js';
import { zhCN } from './zh-CN.js';

export const catalogues: Readonly<Record<string, Messages>> = { 'zh-CN': zhCN };
export const defaultLocale = 'zh-CN';

export const t = (key: string, vars?: Record<string, string | number>): string => format(zhCN, key, vars);

/** The readable name of `value` in `group` (e.g. `channel`, `sms`), or the value itself when the catalogue has none. */
export const label = (group: string, value: string): string => zhCN[`${group}.${value}`] ?? value;
