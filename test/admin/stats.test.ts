import test from 'ava';
import { eventually, startTestGateway, TEST_API_KEY, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { ADMIN_PASSWORD, staffClient, type StaffClient } from './_staff.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD, SURVEY_DELAY_SECONDS: '0' });
  admin = staffClient(gw);
  await admin.login('admin', ADMIN_PASSWORD);
});
test.after.always(async () => {
  await gw?.stop();
});

interface Group {
  key: string;
  received: number | string;
  forwarded: number | string;
  repliedLetters: number | string;
  replyRate: number | null;
  firstReplyMedianHours: number | null;
  satisfaction: {
    surveyed: number | string;
    answered: number | string;
    satisfied: number | string;
    rate: number | null;
    responseRate: number | null;
  };
}

test.serial(
  'when letters are received and replied, then stats count them by channel, with small counts published as "< 5" and exact for staff, by day, week or month',
  async (t) => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await gw.services.intake.submit(sampleIntake())).letterId);
    ids.push(
      (
        await gw.services.intake.submit(
          sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: 'oOPENID1', anonymous: false } }),
        )
      ).letterId,
    );
    await eventually(async () => {
      const n = await gw.services.db
        .selectFrom('letters')
        .select('id')
        .where('forward_state', '=', 'forwarded')
        .execute();
      return n.length >= 7 ? true : undefined;
    });
    for (const id of ids.slice(0, 5)) {
      const r = await gw.api(`/api/v1/letters/${id}/replies`, { method: 'POST', json: { text: '已处理。' } });
      t.is(r.status, 202);
    }
    await eventually(async () => {
      const n = await gw.services.db
        .selectFrom('deliveries')
        .select('id')
        .where('kind', '=', 'reply')
        .where('status', '=', 'sent')
        .execute();
      return n.length >= 5 ? true : undefined;
    });
    const r = await fetch(`${gw.url}/api/v1/stats?groupBy=channel`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    t.is(r.status, 200);
    const body = (await r.json()) as { groups: Group[]; daily: { counts: Record<string, number | string> }[] };
    const sms = body.groups.find((g) => g.key === 'sms')!;
    t.is(sms.received, 6);
    t.is(sms.forwarded, 6);
    t.is(sms.repliedLetters, 5);
    t.is(sms.replyRate, 0.833);
    t.is(typeof sms.firstReplyMedianHours, 'number');
    t.deepEqual(sms.satisfaction, { surveyed: 0, answered: 0, satisfied: 0, rate: null, responseRate: null });
    const oa = body.groups.find((g) => g.key === 'wechat-oa')!;
    t.is(oa.received, '< 5');
    t.is(body.daily.at(-1)!.counts['sms'], 6);
    const staff = await admin.call('GET', '/stats?groupBy=kind');
    t.is(((await staff.json()) as { groups: Group[] }).groups[0]!.key, 'complaint');
    // Staff read exact counts: the suppression protects published figures only.
    const exact = (await (await admin.call('GET', '/stats?groupBy=channel')).json()) as { groups: Group[] };
    t.is(exact.groups.find((g) => g.key === 'wechat-oa')!.received, 1);
    const monthly = (await (await admin.call('GET', '/stats?groupBy=channel&bucket=month')).json()) as {
      daily: { date: string; counts: Record<string, number> }[];
    };
    t.regex(monthly.daily.at(-1)!.date, /^\d{4}-\d{2}-01$/);
    t.is(monthly.daily.at(-1)!.counts['sms'], 6);
    const weekly = (await (await admin.call('GET', '/stats?groupBy=channel&bucket=week')).json()) as {
      daily: { date: string }[];
    };
    t.is(new Date(`${weekly.daily.at(-1)!.date}T00:00:00Z`).getUTCDay(), 1);
    t.is((await admin.call('GET', '/stats?bucket=year')).status, 422);
  },
);

test('when the range or grouping is wrong, then stats answer 422 naming the field', async (t) => {
  const r = await fetch(`${gw.url}/api/v1/stats?groupBy=citizen&from=2026-13-01`, {
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  t.is(r.status, 422);
  const fields = ((await r.json()) as { problems: { field: string }[] }).problems.map((p) => p.field).sort();
  t.deepEqual(fields, ['from', 'groupBy']);
});

test.serial(
  'when a citizen answers the survey after a final reply, then the satisfaction rate counts the answer',
  async (t) => {
    const { letterId } = await gw.services.intake.submit(
      sampleIntake({ citizen: { channelUserId: '+8613600136000', phone: '+8613600136000', anonymous: false } }),
    );
    await eventually(async () =>
      (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow())
        .serial
        ? true
        : undefined,
    );
    t.is(
      (await gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text: '已修复。', final: true } }))
        .status,
      202,
    );
    await eventually(
      async () =>
        (await gw.services.db
          .selectFrom('surveys')
          .select('id')
          .where('letter_id', '=', letterId)
          .executeTakeFirst()) ?? undefined,
    );
    await gw.services.conversation.accept([
      {
        channel: 'sms',
        senderId: '+8613600136000',
        providerMessageId: `answer-${letterId}`,
        receivedAt: new Date(),
        type: 'text',
        text: '2',
        payload: {},
      },
    ]);
    await eventually(async () =>
      (
        await gw.services.db
          .selectFrom('surveys')
          .select('state')
          .where('letter_id', '=', letterId)
          .executeTakeFirstOrThrow()
      ).state === 'answered'
        ? true
        : undefined,
    );
    const r = await fetch(`${gw.url}/api/v1/stats?groupBy=channel`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    const sms = ((await r.json()) as { groups: Group[] }).groups.find((g) => g.key === 'sms')!;
    t.deepEqual(sms.satisfaction, { surveyed: '< 5', answered: '< 5', satisfied: '< 5', rate: 1, responseRate: 1 });
  },
);
