import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { createIntake } from '../../gateway/letters/intake.js';
import { createPiiService } from '../../gateway/privacy/pii-service.js';
import { rotateLetters } from '../../gateway/privacy/pii-rotate.js';
import { storedId } from '../../gateway/privacy/pii-ids.js';

const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);
const KEY_C = 'c3'.repeat(32);

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ PII_ENCRYPTION_KEY: KEY_A });
});
test.after.always(async () => {
  await gw?.stop();
});

const citizen = (n: number) => ({
  channelUserId: `o-rotate-${n}`,
  phone: `+86139000000${String(n).padStart(2, '0')}`,
  name: `市民${n}`,
  anonymous: false,
});
const stored = (ids: string[]) =>
  sql<{ id: string; phone: string; name: string; hash: string | null }>`
    select id, body->'citizen'->>'phone' as phone, body->'citizen'->>'name' as name, citizen_phone_hash as hash from letters
    where id = any(${ids}::uuid[]) order by id`
    .execute(gw.services.db)
    .then((r) => r.rows);

test.serial(
  'when the key changes and the rotation runs while a letter is locked, then every value ends under the new key, clear ones encrypted, all still readable',
  async (t) => {
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++)
      ids.push((await gw.services.intake.submit(sampleIntake({ channel: 'wechat-mp', citizen: citizen(n) }))).letterId);
    // Two letters written before encryption: phone and name in clear.
    for (let n = 6; n <= 7; n++)
      ids.push(
        (
          await createIntake(gw.services.db, () => undefined).submit(
            sampleIntake({ channel: 'wechat-mp', citizen: citizen(n) }),
          )
        ).letterId,
      );
    const a = createPiiService(KEY_A);
    const b = createPiiService(KEY_B, [KEY_A]);
    const before = await stored(ids);
    t.is(before.filter((r) => r.phone.startsWith(`pii1.${a.ring.current.id}.`)).length, 5);
    t.is(before.filter((r) => r.phone.startsWith('+86')).length, 2);

    // The gateway holds one letter (as a forwarding claim would) while the rotation runs: the rotation goes round it
    // and finishes once it is free.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = gw.services.db.transaction().execute(async (tx) => {
      await sql`select id from letters where id = ${ids[2]} for update`.execute(tx);
      locked();
      await held;
    });
    await isLocked;
    const rotation = rotateLetters(gw.services.db, b, { batchSize: 2 });
    await eventually(
      async () => {
        const rows = await stored(ids);
        return rows.filter((r) => r.phone.startsWith(`pii1.${b.ring.current.id}.`)).length === 6 ? true : undefined;
      },
      30_000,
      'all but the locked letter rotated',
    );
    release();
    await holder;
    const result = await rotation;
    t.is(result.letters, 7);
    t.true(result.batches >= 4);

    const after = await stored(ids);
    const onlyB = createPiiService(KEY_B);
    for (const [i, r] of after.entries()) {
      t.regex(r.phone, new RegExp(`^pii1\\.${b.ring.current.id}\\.`));
      t.regex(r.name, new RegExp(`^pii1\\.${b.ring.current.id}\\.`));
      const n = ids.indexOf(r.id) + 1;
      t.is(onlyB.decrypt(r.phone), citizen(n).phone, `letter ${i}`);
      t.is(onlyB.decrypt(r.name), citizen(n).name);
      t.is(r.hash, onlyB.lookupHash(citizen(n).phone));
    }
    // Nothing left: a second run changes nothing.
    t.is((await rotateLetters(gw.services.db, b, { batchSize: 2 })).letters, 0);
  },
);

test.serial(
  'when `npm run pii:rotate` runs with the next key, then it re-encrypts every letter, every citizen token and every name and phone sealed in a raw payload under it',
  async (t) => {
    t.timeout(120_000);
    const c = createPiiService(KEY_C);
    const { letterId } = await gw.services.intake.submit(sampleIntake({ channel: 'wechat-mp', citizen: citizen(8) }));
    // An SMS letter: its sender is a token whose phone pii_ids holds under the gateway's key (A).
    const smsPhone = '+8613911100099';
    const sms = await gw.services.intake.submit(
      sampleIntake({ channel: 'sms', citizen: { channelUserId: smsPhone, phone: smsPhone, anonymous: false } }),
    );
    const token = (
      await gw.services.db
        .selectFrom('letters')
        .select('citizen_id')
        .where('id', '=', sms.letterId)
        .executeTakeFirstOrThrow()
    ).citizen_id;
    // Mini-program forms as received: one sealed at intake (key A), one stored before sealing (clear).
    const form = (n: number) => {
      const input = sampleIntake({ channel: 'wechat-mp', citizen: citizen(n) });
      const payload = { kind: 'complaint', name: citizen(n).name, phone: `1390000${String(n).padStart(4, '0')}` };
      return { ...input, sources: input.sources.map((s) => ({ ...s, type: 'mp-form', payload })) };
    };
    const sealedForm = await gw.services.intake.submit(form(9));
    const clearForm = await createIntake(gw.services.db, () => undefined).submit(form(10));
    const payloadOf = async (letterId: string) =>
      (
        await gw.services.db
          .selectFrom('source_messages')
          .select('payload')
          .where('letter_id', '=', letterId)
          .executeTakeFirstOrThrow()
      ).payload as { kind: string; name: string; phone: string };
    t.regex((await payloadOf(sealedForm.letterId)).name, /^pii1\./);
    t.is((await payloadOf(clearForm.letterId)).name, citizen(10).name);
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'tools/pii-rotate.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: gw.databaseUrl,
        PII_ENCRYPTION_KEY: KEY_C,
        PII_PREVIOUS_KEYS: `${KEY_A},${KEY_B}`,
      },
    });
    t.regex(stdout, new RegExp(`done: \\d+ letters re-encrypted under key ${c.ring.current.id}`));
    const [row] = await stored([letterId]);
    t.is(c.decrypt(row!.phone), citizen(8).phone);
    const left = await sql<{
      n: string;
    }>`select count(*) as n from letters where body->'citizen'->>'phone' not like ${`pii1.${c.ring.current.id}.%`}`.execute(
      gw.services.db,
    );
    t.is(Number(left.rows[0]!.n), 0);

    t.regex(stdout, /done: \d+ citizen phones re-encrypted/);
    const ids = await sql<{ token: string; id_hash: string; id_enc: string }>`select * from pii_ids`.execute(
      gw.services.db,
    );
    t.true(ids.rows.length > 0);
    for (const r of ids.rows) t.regex(r.id_enc, new RegExp(`^pii1\\.${c.ring.current.id}\\.`));
    const mine = ids.rows.find((r) => r.token === token);
    t.is(c.decrypt(mine!.id_enc), smsPhone);
    t.is(mine!.id_hash, c.lookupHash(smsPhone));
    // The token itself never changes: under the new key the same phone still leads to it, and the letter's own
    // channelUserId is under the new key as well.
    t.is(await storedId(gw.services.db, c, smsPhone), token);
    const [smsRow] = await sql<{ uid: string }>`
      select body->'citizen'->>'channelUserId' as uid from letters where id = ${sms.letterId}`
      .execute(gw.services.db)
      .then((r) => r.rows);
    t.is(c.decrypt(smsRow!.uid), smsPhone);
    t.regex(smsRow!.uid, new RegExp(`^pii1\\.${c.ring.current.id}\\.`));

    t.regex(stdout, /done: \d+ source messages re-encrypted/);
    for (const [n, letter] of [
      [9, sealedForm.letterId],
      [10, clearForm.letterId],
    ] as const) {
      const p = await payloadOf(letter);
      t.regex(p.name, new RegExp(`^pii1\\.${c.ring.current.id}\\.`));
      t.regex(p.phone, new RegExp(`^pii1\\.${c.ring.current.id}\\.`));
      t.is(c.decrypt(p.name), citizen(n).name);
      t.is(c.decrypt(p.phone), `1390000${String(n).padStart(4, '0')}`);
      t.is(p.kind, 'complaint');
    }
  },
);
