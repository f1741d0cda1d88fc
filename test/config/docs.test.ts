import test from 'ava';
import { readFileSync } from 'node:fs';
import { exampleEnv, withSettingsTable } from '../../config/docs.js';
import { settings } from '../../config/settings.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

test('when settings change, then config/example.env and the README table must be regenerated (npm run docs:config)', (t) => {
  t.is(read('config/example.env'), exampleEnv());
  const readme = read('README.md');
  t.is(readme, withSettingsTable(readme));
  for (const name of Object.keys(settings)) t.true(readme.includes(`\`${name}\``), `${name} is documented`);
});
