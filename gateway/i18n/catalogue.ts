// The message catalogue's mechanism: flat fragments `{ 'group.value': '文字' }` contributed by modules are composed
// into one catalogue per language; a key defined twice is a mistake caught at start-up, not a silent override.
export type Messages = Readonly<Record<string, string>>;

export function composeCatalogue(...fragments: Messages[]): Messages {
  const out: Record<string, string> = {};
  for (const f of fragments) {
    for (const [k, v] of Object.entries(f)) {
      if (k in out && out[k] !== v) throw new Error(`message key ${k} is defined twice with different texts`);
      out[k] = v;
    }
  }
  return Object.freeze(out);
}

/** A module's own `{ value: '文字' }` table as catalogue entries under `group.`. */
export function prefixed(group: string, table: Readonly<Record<string | number, string>>): Messages {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${group}.${k}`, v]));
}

/** `{name}` placeholders filled from `vars`; a missing key comes back as itself so it shows up in tests. */
export function format(messages: Messages, key: string, vars: Record<string, string | number> = {}): string {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
