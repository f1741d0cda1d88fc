import test from 'ava';
import { chmodSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway } from '../_support/child-gateway.js';
import { eventually } from '../_support/gateway.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

async function runUntilReady(dataDir: string) {
  const port = await freePort();
  const child = spawnGateway({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  await eventually(
    async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.ok)
        .catch(() => false)) || undefined,
    180_000,
    'ready',
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

test('when no DATABASE_URL is set, then the gateway runs its own PostgreSQL, its data survives a restart, and the restart revokes the previous development key', async (t) => {
  t.timeout(400_000);
  const base = mkdtempSync(join(tmpdir(), 'gateway-data-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  // Open to the system user PostgreSQL runs as under root, as a data directory's parents must be.
  chmodSync(base, 0o755);
  // A path too long for a Unix socket (the kernel takes about 107 bytes): the server is reached over loopback TCP.
  const dataDir = join(base, '数据目录'.repeat(6), 'gateway-data');
  const first = await runUntilReady(dataDir);
  t.teardown(() => first.child.process.kill('SIGKILL'));
  t.regex(first.child.output(), /SANDBOX MODE/);
  const keyOf = (output: string) =>
    /development API key for \/api\/v1 \(revoked at the next start\): (\S+)/.exec(output)?.[1];
  const key = keyOf(first.child.output());
  t.truthy(key);
  const unknown = '/api/v1/letters/0190a0a0-0000-7000-8000-000000000000';
  t.is(
    (await fetch(first.base + unknown, { headers: { authorization: `Bearer ${key}` } })).status,
    404,
    'the key works',
  );
  first.child.process.kill('SIGTERM');
  const firstExit = await first.child.exited;
  if (firstExit !== 0) t.log(first.child.output());
  t.is(firstExit, 0);
  t.false(existsSync(join(dataDir, 'postgres', 'postmaster.pid')), 'PostgreSQL was stopped');

  const second = await runUntilReady(dataDir);
  t.teardown(() => second.child.process.kill('SIGKILL'));
  // The first run's data is still there (its admin account, so none is created again), but its development key no
  // longer opens the API.
  t.regex(first.child.output(), /first admin account created/);
  t.notRegex(second.child.output(), /first admin account created/);
  t.is((await fetch(second.base + unknown, { headers: { authorization: `Bearer ${key}` } })).status, 401);
  const secondKey = keyOf(second.child.output());
  t.truthy(secondKey);
  t.not(secondKey, key);
  t.is(
    (await fetch(second.base + unknown, { headers: { authorization: `Bearer ${secondKey}` } })).status,
    404,
    'the new key works',
  );
  second.child.process.kill('SIGTERM');
  const secondExit = await second.child.exited;
  if (secondExit !== 0) t.log(second.child.output());
  t.is(secondExit, 0);
});
