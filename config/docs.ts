// Renders the settings list as config/example.env and as the README's configuration table, so both always match
// config/settings.ts (a test fails when they drift; `npm run docs:config` rewrites them).
import { settings } from './settings.js';

const entries = () =>
  Object.entries(settings) as [
    string,
    { doc: string; default?: string; developmentDefault?: string; secret?: boolean },
  ][];

export function exampleEnv(): string {
  const lines = [
    '# Letter gateway settings. Copy to .env or set in the environment; unset lines take their default.',
    '',
  ];
  for (const [name, s] of entries()) {
    lines.push(`# ${s.doc}${s.secret ? ' (secret)' : ''}`);
    if (s.developmentDefault !== undefined) lines.push(`# (with NODE_ENV=development: ${s.developmentDefault})`);
    lines.push(s.default !== undefined ? `# ${name}=${s.default}` : `# ${name}=`);
    lines.push('');
  }
  return lines.join('\n');
}

export function settingsTable(): string {
  const rows = entries().map(
    ([name, s]) =>
      `| \`${name}\` | ${s.default !== undefined ? `\`${s.default}\`` : '—'}${s.developmentDefault !== undefined ? ` (development: \`${s.developmentDefault}\`)` : ''} | ${s.doc.replaceAll('|', '\\|')}${s.secret ? ' *(secret)*' : ''} |`,
  );
  return ['| setting | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export const TABLE_START = '<!-- settings:start -->';
export const TABLE_END = '<!-- settings:end -->';

export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${settingsTable()}\n${readme.slice(end)}`;
}
