import test from 'ava';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, EmbeddedPostgresError, packagedBinDir } from '../../gateway/store/embedded-postgres.js';

// A checkout in /root/… or a `mktemp -d` folder: mode 700, closed to every other user, including the system user
// PostgreSQL runs as when the gateway runs as root.
function privateDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t0.push(dir);
  return dir;
}
const t0: string[] = [];
test.after.always(() => t0.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('when the binaries sit in a private (mode 700) checkout, then the embedded PostgreSQL still starts and answers', async (t) => {
  const checkout = privateDir('gateway-checkout-');
  t.is(statSync(checkout).mode & 0o777, 0o700);
  const binDir = join(checkout, 'node_modules', 'native');
  mkdirSync(dirname(binDir), { recursive: true });
  cpSync(await packagedBinDir(), binDir, { recursive: true, verbatimSymlinks: true });
  const dataDir = privateDir('gateway-data-');
  const server = await startEmbeddedPostgres(dataDir, { binDir });
  t.teardown(() => server.stop());
  // Reached through the Unix socket in its data directory (the host is the directory, percent-encoded).
  t.true(server.url.includes(`@${encodeURIComponent(join(dataDir, 'postgres'))}:`), server.url);
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const r = await client.query<{ one: number }>('select 1 as one');
  await client.end();
  t.is(r.rows[0]!.one, 1);
  await server.stop();
});

test('when DATA_DIR is inside a private (mode 700) directory, then the start either works or stops with one line saying why and what to do', async (t) => {
  const checkout = privateDir('gateway-checkout-');
  const dataDir = join(checkout, 'data');
  try {
    const server = await startEmbeddedPostgres(dataDir);
    // Not root: PostgreSQL runs as the owner of the directory, who can reach it.
    t.not(process.getuid?.(), 0);
    await server.stop();
  } catch (err) {
    t.is(process.getuid?.(), 0, String(err));
    t.true(err instanceof EmbeddedPostgresError, String(err));
    const message = (err as Error).message;
    t.false(message.includes('\n'));
    t.regex(message, /cannot reach DATA_DIR .*set DATA_DIR to a directory it can reach/);
  }
});
