import test from 'ava';
import { sql } from 'kysely';
import { eventually, type TestGateway } from '../_support/gateway.js';
import { mp, letterRequest } from '../channels/wechat-mp/_mp.js';
import { startConsoleGateway, type StaffClient } from '../admin/_staff.js';
import { sampleIntake } from '../_support/letters.js';
import { createIntake } from '../../gateway/letters/intake.js';
import type { Letter } from '../../shared/letter.js';
import type { MpSubmitAnswer } from '../../shared/mp-api.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
});
test.after.always(async () => {
  await gw?.stop();
});

async function mpLetter(who: string, phoneDigits: string, name: string): Promise<string> {
  const s = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:${who}` }),
  });
  const call = mp(gw, ((await s.json()) as { token: string }).token);
  if ((await call('/mp/phone', { json: { code: `dev:${phoneDigits}` } })).status !== 200)
    throw new Error('phone not verified');
  const r = await call<MpSubmitAnswer>('/mp/letters', { json: letterRequest({ usePhone: true, name }) });
  if (r.status !== 201) throw new Error(`letter refused ${r.status}`);
  return r.body.letterId;
}

const rawRow = async (id: string) =>
  (await sql<{ raw: string }>`select l::text as raw from letters l where id = ${id}`.execute(gw.services.db)).rows[0]!
    .raw;

test.serial(
  'when a letter with phone and name comes from the mini-program, then its stored row holds neither in clear, the case store gets both in clear and the reveal shows the phone',
  async (t) => {
    const letterId = await mpLetter('pii-anna', '13912340001', '欧阳娜娜');
    const raw = await rawRow(letterId);
    t.notRegex(raw, /13912340001/);
    t.false(raw.includes('欧阳娜娜'));
    t.regex(raw, /pii1\.[0-9a-f]{8}\./);

    const atCaseStore = await eventually(async () => {
      const row = await gw.services.db
        .selectFrom('sandbox_case_letters')
        .select('letter')
        .where('letter_id', '=', letterId)
        .executeTakeFirst();
      return row?.letter as unknown as Letter | undefined;
    });
    t.is(atCaseStore.citizen.phone, '+8613912340001');
    t.is(atCaseStore.citizen.name, '欧阳娜娜');
    // Still encrypted after forwarding (the forwarder decrypts only what it sends).
    t.notRegex(await rawRow(letterId), /13912340001/);

    const api = (await (await gw.api(`/api/v1/letters/${letterId}`)).json()) as { letter: Letter };
    t.deepEqual([api.letter.citizen.phone, api.letter.citizen.name], ['+8613912340001', '欧阳娜娜']);

    const detail = await (await admin.call('GET', `/letters/${letterId}`)).text();
    t.notRegex(detail, /13912340001|pii1\./);
    t.regex(detail, /欧阳\*\*|欧\*\*\*/);
    const reveal = await admin.call('POST', `/letters/${letterId}/reveal-phone`, { reason: '市民来电要求回访' });
    t.is(reveal.status, 200);
    t.is(((await reveal.json()) as { phone: string }).phone, '+8613912340001');
  },
);

test.serial(
  'when staff search or export by a phone that is only stored encrypted, then the keyed hash finds the letter and the export shows it in clear',
  async (t) => {
    const letterId = await mpLetter('pii-bo', '13912340002', '李博');
    const found = (await (await admin.call('GET', '/letters?phone=13912340002')).json()) as {
      letters: { id: string }[];
    };
    t.deepEqual(
      found.letters.map((l) => l.id),
      [letterId],
    );
    const exported = await admin.call('POST', '/citizens/export', {
      phone: '13912340002',
      reason: '市民申请查阅个人信息',
    });
    t.is(exported.status, 200);
    const data = (await exported.json()) as { letters: { id: string; body: Letter }[] };
    const mine = data.letters.find((l) => l.id === letterId);
    t.deepEqual([mine?.body.citizen.phone, mine?.body.citizen.name], ['+8613912340002', '李博']);

    const erased = await admin.call('POST', '/citizens/erase', {
      phone: '13912340002',
      reason: '市民申请删除个人信息',
    });
    t.is(erased.status, 200);
    t.is(((await erased.json()) as { letters: number }).letters, 1);
    const row = await gw.services.db
      .selectFrom('letters')
      .select(['citizen_phone_hash', 'body'])
      .where('id', '=', letterId)
      .executeTakeFirstOrThrow();
    t.is(row.citizen_phone_hash, null);
    t.is(row.body.citizen.phone, undefined);
    t.is(row.body.citizen.name, undefined);
  },
);

test.serial(
  'when a letter was stored in clear before encryption, then it still reads, is found by phone and is forwarded in clear',
  async (t) => {
    const phone = '+8613912340003';
    // An intake without the key writes the row as releases before encryption did: phone and name in clear, no hash.
    const { letterId } = await createIntake(gw.services.db, () => gw.services.wakeup.wake('letters')).submit(
      sampleIntake({
        channel: 'wechat-mp',
        citizen: { channelUserId: 'o-legacy-clear-0001', phone, name: '赵旧', anonymous: false },
      }),
    );
    t.regex(await rawRow(letterId), /13912340003/);
    const reveal = await admin.call('POST', `/letters/${letterId}/reveal-phone`, { reason: '核对旧来信' });
    t.is(((await reveal.json()) as { phone: string }).phone, phone);
    const found = (await (await admin.call('GET', '/letters?phone=13912340003')).json()) as {
      letters: { id: string }[];
    };
    t.deepEqual(
      found.letters.map((l) => l.id),
      [letterId],
    );
    const atCaseStore = await eventually(async () => {
      const row = await gw.services.db
        .selectFrom('sandbox_case_letters')
        .select('letter')
        .where('letter_id', '=', letterId)
        .executeTakeFirst();
      return row?.letter as unknown as Letter | undefined;
    });
    t.deepEqual([atCaseStore.citizen.phone, atCaseStore.citizen.name], [phone, '赵旧']);
  },
);
