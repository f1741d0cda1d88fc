import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { seedLetters, MAYOR, DISTRICT, type SeedLetter } from './stats-fixture.js';

// Nine letters inside 2026-11-02..03 (Asia/Shanghai), two just outside. Hours are from receipt to each reply.
const letters: SeedLetter[] = [
  {
    name: 'L1',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-02T00:30:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 2, status: 'delivered' }],
    survey: 1,
  },
  {
    name: 'L2',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-02T10:00:00+08:00',
    forwarded: true,
    replies: [
      { afterHours: 4, status: 'sent' },
      { afterHours: 10, status: 'delivered' },
    ],
    survey: 3,
  },
  {
    name: 'L3',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'suggestion',
    receivedAt: '2026-11-02T11:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 6, status: 'delivered' }],
    survey: 2,
  },
  {
    name: 'L4',
    channel: 'sms',
    mailbox: DISTRICT,
    kind: 'complaint',
    receivedAt: '2026-11-03T08:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 1, status: 'failed' }],
    survey: 'expired',
  },
  {
    name: 'L5',
    channel: 'sms',
    mailbox: DISTRICT,
    kind: 'consultation',
    receivedAt: '2026-11-03T09:00:00+08:00',
    forwarded: false,
    replies: [],
  },
  {
    name: 'L6',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-03T10:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 12, status: 'sent' }],
    survey: 'open',
  },
  {
    name: 'L7',
    channel: 'wechat-oa',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-02T12:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 1, status: 'delivered' }],
    survey: 1,
  },
  {
    name: 'L8',
    channel: 'wechat-oa',
    mailbox: DISTRICT,
    kind: 'praise',
    receivedAt: '2026-11-03T13:00:00+08:00',
    forwarded: true,
    replies: [],
  },
  {
    name: 'L9',
    channel: 'wechat-mp',
    mailbox: DISTRICT,
    kind: 'complaint',
    receivedAt: '2026-11-03T14:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 8, status: 'sent' }],
    survey: 2,
  },
  // Outside the range: one second before it (in Shanghai time, though the same UTC day), and at its exclusive end.
  {
    name: 'X1',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-01T23:59:59+08:00',
    forwarded: true,
    replies: [{ afterHours: 1, status: 'sent' }],
    survey: 3,
  },
  {
    name: 'X2',
    channel: 'sms',
    mailbox: MAYOR,
    kind: 'complaint',
    receivedAt: '2026-11-04T00:00:00+08:00',
    forwarded: true,
    replies: [{ afterHours: 1, status: 'sent' }],
    survey: 3,
  },
];

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
  await seedLetters(gw.services.db, letters);
});
test.after.always(async () => {
  await gw?.stop();
});

interface Figures {
  key?: string;
  received: number | string;
  forwarded: number | string;
  rejected: number | string;
  repliesSent: number | string;
  repliesDelivered: number | string;
  repliedLetters: number | string;
  replyRate: number | null;
  firstReplyMedianHours: number | null;
  firstReplyAverageHours: number | null;
  satisfaction: {
    surveyed: number | string;
    answered: number | string;
    satisfied: number | string;
    rate: number | null;
    responseRate: number | null;
  };
}
interface StatsBody {
  from: string;
  to: string;
  totals: Figures;
  groups: Figures[];
  daily: { date: string; counts: Record<string, number | string> }[];
}

async function stats(groupBy: string): Promise<StatsBody & { byKey: Record<string, Figures> }> {
  const r = await gw.api(`/api/v1/stats?from=2026-11-02&to=2026-11-03&groupBy=${groupBy}`);
  if (r.status !== 200) throw new Error(`stats answered ${r.status}: ${await r.text()}`);
  const body = (await r.json()) as StatsBody;
  return { ...body, byKey: Object.fromEntries(body.groups.map(({ key, ...g }) => [key!, g])) };
}

test('when stats are grouped by channel, then every figure matches the hand count and small counts read "< 5"', async (t) => {
  const s = await stats('channel');
  t.is(s.from, '2026-11-02');
  t.is(s.to, '2026-11-03');
  t.deepEqual(s.totals, {
    received: 9,
    forwarded: 8,
    rejected: '< 5', // L1–L9; all but L5; L5
    repliesSent: 7,
    repliesDelivered: '< 5', // L1 1 + L2 2 + L3 1 + L6 1 + L7 1 + L9 1 = 7 (L4's failed); delivered L1, L2b, L3, L7 = 4
    repliedLetters: 6,
    replyRate: 0.75, // L1 L2 L3 L6 L7 L9 = 6; 6 / 8 forwarded
    firstReplyMedianHours: 5,
    firstReplyAverageHours: 5.5, // first replies 1 2 4 6 8 12 h: median (4 + 6) / 2; mean 33 / 6
    satisfaction: { surveyed: 7, answered: 5, satisfied: '< 5', rate: 0.8, responseRate: 0.714 }, // L1 L2 L3 L4 L6 L7 L9; L1 L2 L3 L7 L9; scores 1/2: L1 L3 L7 L9 = 4; 4/5; 5/7
  });
  t.deepEqual(s.byKey['sms'], {
    received: 6,
    forwarded: 5,
    rejected: '< 5', // L1–L6; L5 rejected
    repliesSent: 5,
    repliesDelivered: '< 5', // L1 1 + L2 2 + L3 1 + L6 1; delivered L1 L2b L3 = 3
    repliedLetters: '< 5',
    replyRate: 0.8, // L1 L2 L3 L6 = 4; 4 / 5
    firstReplyMedianHours: 5,
    firstReplyAverageHours: 6, // 2 4 6 12: (4 + 6) / 2; 24 / 4
    satisfaction: { surveyed: 5, answered: '< 5', satisfied: '< 5', rate: 0.667, responseRate: 0.6 }, // L1 L2 L3 L4 L6; L1 L2 L3 = 3; L1 L3 = 2; 2/3; 3/5
  });
  t.deepEqual(s.byKey['wechat-oa'], {
    received: '< 5',
    forwarded: '< 5',
    rejected: 0,
    repliesSent: '< 5',
    repliesDelivered: '< 5',
    repliedLetters: '< 5',
    replyRate: 0.5,
    firstReplyMedianHours: 1,
    firstReplyAverageHours: 1, // L7 of L7 L8; 1 h
    satisfaction: { surveyed: '< 5', answered: '< 5', satisfied: '< 5', rate: 1, responseRate: 1 },
  });
  t.deepEqual(s.byKey['wechat-mp']?.received, '< 5');
  t.deepEqual(Object.keys(s.byKey).sort(), ['sms', 'wechat-mp', 'wechat-oa']);
  t.deepEqual(s.daily, [
    { date: '2026-11-02', counts: { sms: '< 5', 'wechat-oa': '< 5' } }, // L1 (00:30 Shanghai, still 1 Nov in UTC) L2 L3; L7
    { date: '2026-11-03', counts: { sms: '< 5', 'wechat-oa': '< 5', 'wechat-mp': '< 5' } }, // L4 L5 L6; L8; L9
  ]);
});

test('when stats are grouped by mailbox, then the figures match the hand count', async (t) => {
  const s = await stats('mailbox');
  t.deepEqual(s.byKey[MAYOR], {
    received: 5,
    forwarded: 5,
    rejected: 0, // L1 L2 L3 L6 L7
    repliesSent: 6,
    repliesDelivered: '< 5', // 1 + 2 + 1 + 1 + 1; delivered L1 L2b L3 L7 = 4
    repliedLetters: 5,
    replyRate: 1, // 5 / 5
    firstReplyMedianHours: 4,
    firstReplyAverageHours: 5, // 1 2 4 6 12: middle 4; 25 / 5
    satisfaction: { surveyed: 5, answered: '< 5', satisfied: '< 5', rate: 0.75, responseRate: 0.8 }, // L1 L2 L3 L6 L7; L1 L2 L3 L7; L1 L3 L7; 3/4; 4/5
  });
  t.deepEqual(s.byKey[DISTRICT], {
    received: '< 5',
    forwarded: '< 5',
    rejected: '< 5', // L4 L5 L8 L9; L4 L8 L9; L5
    repliesSent: '< 5',
    repliesDelivered: 0,
    repliedLetters: '< 5', // L9 only (L4's reply failed)
    replyRate: 0.333,
    firstReplyMedianHours: 8,
    firstReplyAverageHours: 8, // 1 / 3; L9 8 h
    satisfaction: { surveyed: '< 5', answered: '< 5', satisfied: '< 5', rate: 1, responseRate: 0.5 }, // L4 L9; L9; L9; 1/1; 1/2
  });
});

test('when stats are grouped by kind, then the figures match the hand count', async (t) => {
  const s = await stats('kind');
  t.deepEqual(s.byKey['complaint'], {
    received: 6,
    forwarded: 6,
    rejected: 0, // L1 L2 L4 L6 L7 L9
    repliesSent: 6,
    repliesDelivered: '< 5', // L1 1 + L2 2 + L6 1 + L7 1 + L9 1; delivered L1 L2b L7 = 3
    repliedLetters: 5,
    replyRate: 0.833, // L1 L2 L6 L7 L9; 5 / 6
    firstReplyMedianHours: 4,
    firstReplyAverageHours: 5.4, // 1 2 4 8 12: middle 4; 27 / 5
    satisfaction: { surveyed: 6, answered: '< 5', satisfied: '< 5', rate: 0.75, responseRate: 0.667 }, // L1 L2 L4 L6 L7 L9; L1 L2 L7 L9; L1 L7 L9; 3/4; 4/6
  });
  t.deepEqual(Object.keys(s.byKey).sort(), ['complaint', 'consultation', 'praise', 'suggestion']);
  t.is(s.byKey['praise']!.repliedLetters, 0);
  t.is(s.byKey['praise']!.firstReplyMedianHours, null);
  t.is(s.byKey['consultation']!.replyRate, null, 'no letter forwarded, no rate');
});

test('when stats select letters by receipt time, then the query can use indexes for the range and the joins', async (t) => {
  const client = await gw.services.pool.connect();
  try {
    // With a few rows the planner rightly prefers a scan; forbidding it shows whether an index exists at all.
    await client.query('begin; set local enable_seqscan = off');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `explain select d.letter_id from deliveries d join letters l on l.id = d.letter_id
       where d.kind = 'reply' and l.received_at >= $1 and l.received_at < $2`,
      ['2026-11-02T00:00:00+08:00', '2026-11-04T00:00:00+08:00'],
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    t.regex(text, /letters_received/);
    t.regex(text, /deliveries_letter/);
    const surveys = await client.query<{ 'QUERY PLAN': string }>(
      `explain select 1 from surveys s where s.letter_id = $1`,
      ['00000000-0000-0000-0000-000000000000'],
    );
    t.regex(surveys.rows.map((r) => r['QUERY PLAN']).join('\n'), /surveys_letter_id_key/);
    // An SMS answer finds the surveys that reached that phone, whichever channel's route carried them.
    const bySms = await client.query<{ 'QUERY PLAN': string }>(
      `explain select d.letter_id from deliveries d where d.kind = 'survey' and d.plan -> d.plan_step ->> 'recipient' = $1`,
      ['+8613500000012'],
    );
    t.regex(bySms.rows.map((r) => r['QUERY PLAN']).join('\n'), /deliveries_survey_by_recipient/);
  } finally {
    await client.query('rollback');
    client.release();
  }
});
