import test from 'ava';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { letterJsonSchema } from '../../shared/letter-json-schema.js';
import { validateLetter } from '../../shared/letter.js';
import { canonicalize } from '../../gateway/letters/intake.js';
import { sampleIntake } from '../_support/letters.js';

test('when the zod source changes, then the published letter.schema.json must be regenerated (npm run schema)', (t) => {
  const published = JSON.parse(
    readFileSync(new URL('../../shared/letter.schema.json', import.meta.url), 'utf8'),
  ) as unknown;
  t.deepEqual(published, letterJsonSchema());
});

test('when code generation from strings is forbidden (as in a mini-program), then the validator still works', (t) => {
  const out = execFileSync(
    process.execPath,
    // The compiled check beside this test (compile-tests.ts): a TypeScript loader would itself need eval.
    ['--disallow-code-generation-from-strings', fileURLToPath(new URL('./no-eval-check.js', import.meta.url))],
    { encoding: 'utf8' },
  );
  t.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { evalBlocked: true, good: true, bad: 'kind' });
});

test('when fields are wrong, then each problem names its dotted path', (t) => {
  const letter = canonicalize(sampleIntake());
  const r = validateLetter({
    ...letter,
    citizen: { ...letter.citizen, phone: '138' },
    attachments: [{ kind: 'image', url: 'x' }],
    extra: true,
  });
  t.false(r.ok);
  if (r.ok) return;
  const fields = r.problems.map((p) => p.field);
  t.true(fields.includes('citizen.phone'));
  t.true(fields.some((f) => f.startsWith('attachments.0')));
  t.true(fields.includes('(letter)') || fields.includes(''), 'unknown top-level key reported');
});
