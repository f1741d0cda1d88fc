// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway, untilReady } from '../_support/child-gateway.js';
import { createTestDatabase } from '../_support/database.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

function folderWithEnv(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-env-'));
  writeFileSync(join(dir, '.env'), content);
  return dir;
}

test('when a .env file is present in development, then npm start reads it, and a variable set in the environment wins over the file', async (t) => {
  t.timeout(180_000);
  const port = await freePort();
  const databaseUrl = await createTestDatabase();
  const dir = folderWithEnv(
    `# local settings\nPORT=${port}\nHOST=127.0.0.1\nDATABASE_URL=${databaseUrl}\nLOG_LEVEL=silent\n`,
  );
  const child = spawnGateway({ LOG_LEVEL: 'info' }, { cwd: dir });
  t.teardown(() => {
    child.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  // The port and the database come from the file only.
  await untilReady(child, port, 60_000);
  // LOG_LEVEL=info from the environment, not silent from the file.
  const line = child
    .output()
    .split('\n')
    .find((l) => l.includes('"msg":"settings read from .env"'));
  t.truthy(line, child.output());
  t.deepEqual((JSON.parse(line!) as { settings: string[] }).settings.sort(), ['DATABASE_URL', 'HOST', 'PORT']);
  child.process.kill('SIGTERM');
  t.is(await child.exited, 0);
});

test('when NODE_ENV=production, then the .env file is not read', async (t) => {
  t.timeout(180_000);
  const dir = folderWithEnv('PORT=eighty\n');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawnGateway({ NODE_ENV: 'production' }, { cwd: dir });
  t.is(await child.exited, 1);
  t.regex(child.output(), /refuses the sandbox case store/);
  t.notRegex(child.output(), /eighty/);
});
