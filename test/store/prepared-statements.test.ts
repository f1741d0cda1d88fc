// Statements run often are prepared once per connection (DATABASE_PREPARED_STATEMENTS); a table changed under one by
// another instance's migration costs one failed statement, not a connection broken for good.
import test from 'ava';
import { sql } from 'kysely';
import { createTestDatabase } from '../_support/database.js';
import { openStore } from '../../gateway/store/db.js';

const preparedOnThisConnection = sql<{
  name: string;
}>`select name from pg_prepared_statements where name like 'gw\\_%' order by name`;

test('when a parameterised statement runs again and again, then it is prepared on its connection and answers as before; texts without parameters never are', async (t) => {
  const store = openStore(await createTestDatabase(), 4, undefined, { preparedStatements: true });
  t.teardown(() => store.close());
  await store.db.connection().execute(async (conn) => {
    for (let i = 0; i < 3; i++) await sql`select 1`.execute(conn);
    t.deepEqual((await preparedOnThisConnection.execute(conn)).rows, []);
    const answers: number[] = [];
    for (let i = 0; i < 15; i++)
      answers.push((await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(conn)).rows[0]!.n);
    t.deepEqual(
      answers,
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    t.is((await preparedOnThisConnection.execute(conn)).rows.length, 1);
  });
});

test('when the table under a prepared statement changes its row type, then that statement fails once and runs again, prepared afresh, with the new columns', async (t) => {
  const store = openStore(await createTestDatabase(), 4, undefined, { preparedStatements: true });
  t.teardown(() => store.close());
  await sql`create table probe (id int primary key, label text)`.execute(store.db);
  await sql`insert into probe values (1, 'a')`.execute(store.db);
  await store.db.connection().execute(async (conn) => {
    const read = () => sql<Record<string, unknown>>`select * from probe where id = ${1}`.execute(conn);
    for (let i = 0; i < 12; i++) await read();
    t.is((await preparedOnThisConnection.execute(conn)).rows.length, 1);
    // Another instance migrates meanwhile, on its own connection.
    await sql`alter table probe add column extra int default 7`.execute(store.db);
    const failed = await t.throwsAsync(read);
    t.is((failed as { code?: string }).code, '0A000');
    t.deepEqual((await read()).rows, [{ id: 1, label: 'a', extra: 7 }]);
    t.deepEqual((await read()).rows, [{ id: 1, label: 'a', extra: 7 }]);
  });
});

test('when prepared statements are off, then nothing is prepared', async (t) => {
  const store = openStore(await createTestDatabase(), 4);
  t.teardown(() => store.close());
  await store.db.connection().execute(async (conn) => {
    for (let i = 0; i < 15; i++) await sql`select ${i}::int as n`.execute(conn);
    t.deepEqual((await preparedOnThisConnection.execute(conn)).rows, []);
  });
});
