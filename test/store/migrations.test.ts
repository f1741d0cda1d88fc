import test from 'ava';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate, openStore, pendingMigrations } from '../../gateway/store/db.js';
import { uuidv7 } from '../../gateway/letters/ids.js';

test('when two instances migrate an empty database at the same time, then each migration runs once', async (t) => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const name = `m_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const a = openStore(url, 3);
  const b = openStore(url, 3);
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const [ra, rb] = await Promise.all([migrate(a.db), migrate(b.db)]);
  t.true(ra.length > 0 || rb.length > 0);
  t.deepEqual([...ra, ...rb].sort(), [...new Set([...ra, ...rb])].sort(), 'no migration applied twice');
  t.is(await pendingMigrations(a.db), 0);
  t.deepEqual(await migrate(a.db), []);
});

test('when ids are issued quickly, then they sort in issue order', (t) => {
  const ids = Array.from({ length: 5000 }, () => uuidv7());
  t.deepEqual([...ids].sort(), ids);
  t.is(new Set(ids).size, ids.length);
});
