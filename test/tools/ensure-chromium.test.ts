import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, type EnsureOptions } from '../../tools/ensure-chromium.js';

function setup(isRoot: boolean, installs: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-'));
  const chromiumPath = join(dir, 'chromium');
  const ran: string[] = [];
  const said: string[] = [];
  const o: EnsureOptions = {
    chromiumPath,
    isRoot,
    run: (command, args) => {
      ran.push([command, ...args].join(' '));
      if (installs && args[0] === 'install') writeFileSync(chromiumPath, '');
      return installs ? 0 : 100;
    },
    say: (line) => said.push(line),
  };
  return { o, ran, said, chromiumPath, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('when Chromium is missing and the tests run as root, then npm test installs it from Debian first', (t) => {
  const s = setup(true, true);
  t.teardown(s.done);
  t.true(ensureChromium(s.o));
  t.deepEqual(s.ran, ['apt-get update', 'apt-get install -y chromium fonts-wqy-microhei']);
});

test('when Chromium is already there, then nothing is installed and nothing is said', (t) => {
  const s = setup(true, true);
  t.teardown(s.done);
  writeFileSync(s.chromiumPath, '');
  t.true(ensureChromium(s.o));
  t.deepEqual(s.ran, []);
  t.deepEqual(s.said, []);
});

test('when Chromium is missing and the user is not root, then one line says what to run', (t) => {
  const s = setup(false, true);
  t.teardown(s.done);
  t.false(ensureChromium(s.o));
  t.deepEqual(s.ran, []);
  t.is(s.said.length, 1);
  t.regex(
    s.said[0]!,
    /only root can install it: run `sudo apt-get update && sudo apt-get install -y chromium fonts-wqy-microhei`/,
  );
});

test('when installing fails, then npm test stops with one line saying what to run by hand', (t) => {
  const s = setup(true, false);
  t.teardown(s.done);
  t.false(ensureChromium(s.o));
  t.regex(
    s.said.at(-1)!,
    /^Installing Chromium failed: run `apt-get update && apt-get install -y chromium fonts-wqy-microhei` by hand/,
  );
});
