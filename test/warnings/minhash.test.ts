import test from 'ava';
import { nearDuplicateGroups, shingles, signature, similarity } from '../../gateway/warnings/minhash.js';
import { binomialUpperTail, spikePValue } from '../../gateway/warnings/rate-test.js';
import { generateLetters } from '../_support/letter-month.js';
import { burstLetters } from './_burst.js';

test('when two letters say the same thing in slightly different words, then their MinHash similarity is high, and low for different matters', (t) => {
  const a = signature(
    shingles('你好，地铁3号线车厢里新投放的那幅减肥广告画面低俗，严重影响未成年人，希望有关部门尽快责令撤下。'),
  );
  const b = signature(
    shingles('领导好，地铁3号线车厢里新投放的那幅减肥广告画面低俗,严重影响未成年人,希望有关部门尽快责令撤下！！'),
  );
  const c = signature(shingles('建设路120号附近夜间施工噪音扰民，已经持续很久了，请尽快处理。'));
  t.true(similarity(a, b) >= 0.7);
  t.true(similarity(a, c) <= 0.2);
});

test('when a burst is mixed into three days of ordinary letters, then exactly the burst forms a near-duplicate group', (t) => {
  const start = new Date('2026-10-05T00:00:00+08:00');
  const normal = generateLetters({ start, days: 3, perDay: 230, seed: 11 });
  const burst = burstLetters({
    at: new Date('2026-10-06T09:00:00+08:00'),
    count: 25,
    topic: 'traffic',
    regionCode: '510104',
  });
  const all = [...normal, ...burst];
  const groups = nearDuplicateGroups(
    all.map((l) => l.text),
    0.6,
  );
  const big = groups.filter((g) => g.length >= 5);
  t.is(big.length, 1);
  t.deepEqual(new Set(big[0]!.map((i) => all[i]!.id)), new Set(burst.map((l) => l.id)));
});

test('when the rate test compares counts, then it follows the binomial tail and flags only what the baseline cannot explain', (t) => {
  t.is(binomialUpperTail(0, 10, 0.2), 1);
  t.true(Math.abs(binomialUpperTail(2, 2, 0.5) - 0.25) < 1e-12);
  // 1 - P(X=0) - P(X=1) for Binomial(5, 0.2)
  t.true(Math.abs(binomialUpperTail(2, 5, 0.2) - (1 - 0.8 ** 5 - 5 * 0.2 * 0.8 ** 4)) < 1e-12);
  t.true(spikePValue(8, 30, 4) > 0.05); // 8 against 7.5 a week
  t.true(spikePValue(36, 24, 4) < 1e-9); // 36 against 6
});
