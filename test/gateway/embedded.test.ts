import test from 'ava';
import { chmodSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway, untilReady } from '../_support/child-gateway.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

async function runUntilReady(dataDir: string) {
  const port = await freePort();
  const child = spawnGateway({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  await untilReady(child, port, 180_000);
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

/** Whether the process runs: a zombie that its new parent has not reaped yet has ended. */
function runs(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

test('when a gateway is killed outright, then the next start on its DATA_DIR stops the PostgreSQL it left running and goes on with its data', async (t) => {
  t.timeout(400_000);
  const base = mkdtempSync(join(tmpdir(), 'gateway-killed-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const first = await runUntilReady(dataDir);
  const orphan = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  t.teardown(() => {
    try {
      process.kill(orphan, 'SIGKILL');
    } catch {
      // stopped, as it should be
    }
  });
  // kill -9, the OOM killer: the gateway cannot stop its server, which runs in a process group of its own.
  first.child.process.kill('SIGKILL');
  await first.child.exited;
  t.true(runs(orphan), 'the server outlived its gateway');

  const second = await runUntilReady(dataDir);
  t.teardown(() => second.child.process.kill('SIGKILL'));
  const warning = second.child
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; postgresPid?: number })
    .find((l) => l.level === 40 && /left running by a gateway that ended/.test(l.msg));
  t.is(warning?.postgresPid, orphan, second.child.output());
  t.false(runs(orphan), 'the orphaned server was stopped');
  // The first run's data is still there: its admin account, so none is created again.
  t.notRegex(second.child.output(), /first admin account created/);
  second.child.process.kill('SIGTERM');
  t.is(await second.child.exited, 0, second.child.output());
});
