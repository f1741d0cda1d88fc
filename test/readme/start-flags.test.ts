import test from 'ava';
import { readFileSync } from 'node:fs';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const readme = readFileSync('README.md', 'utf8');

test('when the gateway is started by npm, from source or built, then Node gets the young generation that Operating it names', (t) => {
  const flag = (script: string) => /--max-semi-space-size=\d+/.exec(scripts[script] ?? '')?.[0];
  const given = flag('start');
  t.truthy(given, scripts.start);
  t.is(flag('start:dist'), given);
  // The benchmark measures the gateway as npm starts it.
  t.is(flag('bench:pipeline'), given);
  t.true(readme.includes(`\`${given!}\``), `README names ${given!}`);
});
