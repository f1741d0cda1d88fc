import test from 'ava';
import pg from 'pg';
import { Migrator, sql, type Migration } from 'kysely';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createEmptyDatabase } from '../_support/database.js';
import { migrate, openStore, pendingMigrations } from '../../gateway/store/db.js';
import { mergeMigrations, migrations } from '../../gateway/store/migration-list.js';
import { migrations as coreMigrations } from '../../gateway/store/migrations/index.js';
import { channelMigrations } from '../../gateway/channels/migrations.js';
import * as sms0300 from '../../gateway/channels/sms/migrations/0300-sms.js';
import * as webMailbox0810 from '../../gateway/channels/web/migrations/0810-web-mailbox.js';
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

/**
 * Every migration name as databases recorded it before the channels' migrations moved into their folders. A name is a
 * migration's identity in `kysely_migration`: a database that ran these must find each one again under the same name
 * (Kysely refuses to migrate a database that ran a migration it no longer knows), wherever its file now lives.
 */
const namesBeforeTheMove = [
  '0001-foundation',
  '0002-attachments',
  '0003-case-events',
  '0004-letter-status',
  '0005-surveys',
  '0006-delivery-plans',
  '0007-stats-indexes',
  '0008-delivery-order',
  '0100-conversation',
  '0200-wechat-oa',
  '0201-wechat-token-errors',
  '0300-sms',
  '0400-wechat-mp',
  '0401-mp-shared-token',
  '0500-staff-console',
  '0600-raw-uplink-text',
  '0610-fair-forwarding',
  '0620-case-store-backoff',
  '0621-opt-out-source',
  '0630-backlog-age',
  '0640-guards',
  '0650-privacy',
  '0670-registered-letters',
  '0690-complete-status-history',
  '0700-pii-lookup-hash',
  '0810-web-mailbox',
  '0830-topic-region',
  '0831-classification-queue',
  '0850-warnings',
  '0851-public',
  '0860-monthly-reports',
  '0870-mp-media-check',
  '0871-mp-message-reads',
  '0872-mp-followups',
  '0910-public-letter-ref',
  '0911-mp-message-read-marks',
  '0920-pii-ids',
  '0921-sms-pii',
  '0922-letter-phone-tail',
  '0940-sandbox-providers',
  '0960-sandbox-due-reports',
  '0970-survey-by-phone-index',
  '1040-held-confirmations',
  '1050-survey-withdrawal',
];

/** The migration files of a folder, by name (its index.ts is the list, not a migration). */
const migrationFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();

test('when the store lists its migrations, then every name from before the move is there and any other is one file added since', (t) => {
  const names = Object.keys(migrations).sort();
  t.deepEqual(
    namesBeforeTheMove.filter((n) => !names.includes(n)),
    [],
    'no migration renamed or lost',
  );
  // Migrations added after the move (by any feature or channel): each is one file, named as the database records it.
  const folders = [
    'gateway/store/migrations',
    ...Object.keys(channelMigrations).map((f) => `gateway/channels/${f}/migrations`),
  ];
  const added = names.filter((n) => !namesBeforeTheMove.includes(n));
  t.deepEqual(
    added.filter((n) => folders.filter((d) => existsSync(`${d}/${n}.ts`)).length !== 1),
    [],
  );
  t.is(names.length, namesBeforeTheMove.length + added.length);
});

test('when the store lists its migrations, then the migrations of a channel come from its folder and the core ones from store/migrations/, each named by its file', (t) => {
  t.deepEqual(Object.keys(coreMigrations).sort(), migrationFiles('gateway/store/migrations'));
  for (const [folder, list] of Object.entries(channelMigrations)) {
    t.deepEqual(Object.keys(list).sort(), migrationFiles(`gateway/channels/${folder}/migrations`), folder);
  }
  const sms = channelMigrations.sms ?? {};
  t.deepEqual(Object.keys(sms).sort(), ['0300-sms', '0600-raw-uplink-text', '0921-sms-pii']);
  t.deepEqual(Object.keys(channelMigrations.sandbox ?? {}).sort(), [
    '0940-sandbox-providers',
    '0960-sandbox-due-reports',
  ]);
  t.is(migrations['0300-sms'], sms0300);
  t.is(migrations['0810-web-mailbox'], webMailbox0810);
  t.false('0300-sms' in coreMigrations);
  t.false(existsSync('gateway/store/migrations/0300-sms.ts'));
});

test('when two lists declare a migration with one name, then merging them fails loudly and names both', (t) => {
  const one: Migration = { up: async () => {} };
  const error = t.throws(() =>
    mergeMigrations({ 'store/migrations': { '0300-sms': one }, 'channels/sms': { '0300-sms': one } }),
  );
  t.regex(error?.message ?? '', /0300-sms.*store\/migrations.*channels\/sms/);
  t.deepEqual(Object.keys(mergeMigrations({ a: { '0001-a': one }, b: { '0002-b': one } })), ['0001-a', '0002-b']);
});

test('when a database was migrated before channel migrations moved, then it is up to date under the same names', async (t) => {
  const url = await createEmptyDatabase();
  const store = openStore(url, 2);
  t.teardown(() => store.close());
  // The database as the release before the move left it: exactly the names it had, run in name order.
  const before = Object.fromEntries(namesBeforeTheMove.map((n) => [n, migrations[n]!]));
  const r = await new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(before) },
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (r.error) throw r.error as Error;
  const recorded = async () =>
    (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db)).rows.map(
      (row) => row.name,
    );
  t.deepEqual(await recorded(), [...namesBeforeTheMove].sort());

  // Only migrations added after the move remain to run; none of the moved ones runs again.
  const added = Object.keys(migrations)
    .filter((n) => !namesBeforeTheMove.includes(n))
    .sort();
  t.deepEqual((await migrate(store.db)).sort(), added);
  t.is(await pendingMigrations(store.db), 0);
  t.deepEqual(await migrate(store.db), []);
  t.deepEqual(await recorded(), Object.keys(migrations).sort());
});
