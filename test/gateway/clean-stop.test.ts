import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway } from '../_support/child-gateway.js';
import { eventually } from '../_support/gateway.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

const ready = (port: number) =>
  fetch(`http://127.0.0.1:${port}/readyz`)
    .then((r) => r.ok)
    .catch(() => false);
const levels = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });

test('when Ctrl-C reaches the whole process group, then the gateway and its PostgreSQL stop without a warning or a stack trace, exit code 0', async (t) => {
  t.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-stop-'));
  const port = await freePort();
  const child = spawnGateway(
    { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    { detached: true },
  );
  t.teardown(() => {
    try {
      process.kill(-child.process.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  await eventually(async () => (await ready(port)) || undefined, 60_000, 'ready');
  // A terminal's Ctrl-C signals every process of the foreground group at once.
  process.kill(-child.process.pid!, 'SIGINT');
  const code = await child.exited;
  const out = child.output();
  t.is(code, 0, out);
  t.regex(out, /shutting down/);
  t.notRegex(out, /\n\s+at /, 'no stack trace');
  t.notRegex(out, /TypeError|idle database connection lost|connection error/i);
  const afterSignal = out.slice(out.indexOf('shutting down'));
  t.deepEqual(
    levels(afterSignal.slice(afterSignal.indexOf('\n') + 1)).filter((l) => l.level >= 40),
    [],
    'no warning or error',
  );
});

test('when a second gateway starts on a DATA_DIR already in use, then it exits non-zero with one line saying why', async (t) => {
  t.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-twice-'));
  const [p1, p2] = [await freePort(), await freePort()];
  const first = spawnGateway({ DATA_DIR: dataDir, PORT: String(p1), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  t.teardown(() => {
    first.process.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  await eventually(async () => (await ready(p1)) || undefined, 60_000, 'first ready');
  // The default log level (info), as an operator runs it.
  const second = spawnGateway({ DATA_DIR: dataDir, PORT: String(p2), HOST: '127.0.0.1' });
  t.teardown(() => second.process.kill('SIGKILL'));
  t.is(await second.exited, 1);
  const out = second.output();
  const fatal = levels(out).filter((l) => l.level >= 50);
  t.is(fatal.length, 1, out);
  t.regex(fatal[0]!.msg, /^gateway failed to start: DATA_DIR .+ is in use by another running gateway/);
  t.notRegex(out, /\n\s+at /, 'no stack trace');
  t.true(await ready(p1), 'the first one still serves');
  first.process.kill('SIGTERM');
  t.is(await first.exited, 0);
});
