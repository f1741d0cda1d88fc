// Run by letter-schema.test.ts in a Node process started with --disallow-code-generation-from-strings, the same
// restriction a WeChat mini-program runtime imposes: validation must work without eval or new Function.
import { validateLetter } from '../../shared/letter.js';
import { canonicalize } from '../../gateway/letters/intake.js';
import { sampleIntake } from '../_support/letters.js';

let evalBlocked = false;
try {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the code generation this check expects to be refused
  new Function('return 1')();
} catch {
  evalBlocked = true;
}
const letter = canonicalize(sampleIntake());
const bad = validateLetter({ ...letter, kind: 'rant' });
console.log(
  JSON.stringify({ evalBlocked, good: validateLetter(letter).ok, bad: bad.ok ? null : bad.problems[0]?.field }),
);
