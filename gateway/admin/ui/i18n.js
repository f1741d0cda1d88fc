// The console's side of the message catalogue: loaded once from the server (the same texts it uses), then read by
// key. `label(group, value)` names an identifier; `explainError(code)` turns a provider's error code into a sentence.
let messages = {};

export async function loadCatalogue(locale = 'zh-CN') {
  const r = await fetch(`/admin/api/i18n/${locale}`, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (r.ok) messages = (await r.json()).messages;
  return messages;
}

/** The text of `key` with `{name}` placeholders filled; a missing key comes back as itself (and tests catch it). */
export function t(key, vars = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export const has = (key) => key in messages;

/** The readable name of `value` in `group`, or `fallback` (by default the value) when the catalogue has none. */
export function label(group, value, fallback = value) {
  if (value === null || value === undefined || value === '') return '—';
  return messages[`${group}.${value}`] ?? fallback;
}

/** Every `value → name` of a group, e.g. for a select's options. */
export function group(name) {
  const prefix = `${name}.`;
  return Object.fromEntries(
    Object.entries(messages)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/** A provider or gateway error code as a sentence; unknown codes are named as such, the code kept for reference. */
export function explainError(code) {
  if (!code) return '';
  const key = `errorCode.${String(code).replace(/\s+/g, '')}`;
  return messages[key] ?? t('console.i18n.unknownErrorCode', { code });
}
