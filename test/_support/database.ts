// A fresh database per test file, cloned from the migrated template that `npm test` prepared.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { markFirstDatabase } from './profile.js';

export async function createTestDatabase(): Promise<string> {
  markFirstDatabase();
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (!adminUrl || !template)
    throw new Error('tests need the database that `npm test` starts: run `npm test` or `npm test -- <file>`');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Cloning needs the template free of sessions; retry briefly if another file is cloning at the same moment.
    for (let i = 0; ; i++) {
      try {
        // Copied as files, not through the WAL: about four times cheaper on the suite's server, which does not fsync.
        await admin.query(`create database ${name} template ${template} strategy file_copy`);
        break;
      } catch (err) {
        if (i >= 50 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** A fresh, empty database (no migrations), as an operator's new server would give. */
export async function createEmptyDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl)
    throw new Error('tests need the database that `npm test` starts: run `npm test` or `npm test -- <file>`');
  const name = `e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template template0`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}
