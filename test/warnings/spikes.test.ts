// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { generateLetters, insertLetters, seeded, type MonthLetter } from '../_support/letter-month.js';
import { runWarningChecks } from '../../gateway/warnings/index.js';
import { uuidv7 } from '../../gateway/letters/ids.js';
import { burstLetters } from './_burst.js';

let gw: TestGateway;
const start = Date.parse('2026-09-01T00:00:00+08:00');
const day = 86_400_000;
test.before(async () => {
  gw = await startTestGateway();
  // Five weeks shaped like the seed month (about 230 letters a day, busy Mondays, quiet weekends).
  await insertLetters(gw.services.db, generateLetters({ start: new Date(start), days: 35, perDay: 230, seed: 5 }), {
    withClassification: true,
  });
});
test.after.always(async () => {
  await gw?.stop();
});

const alerts = async () =>
  (
    await sql<{ id: string; kind: string; title: string; detail: Record<string, unknown>; letter_count: number }>`
    select id, kind, title, detail, letter_count from warning_alerts order by raised_at`.execute(gw.services.db)
  ).rows;

test.serial(
  'when the last week of an ordinary month is checked every three hours, then neither weekly rhythm nor noise raises an alert',
  async (t) => {
    for (let at = start + 28 * day; at <= start + 35 * day; at += 3 * 3600_000) {
      const r = await runWarningChecks(gw.services, new Date(at));
      t.deepEqual(r.raised, [], `check at ${new Date(at).toISOString()}`);
    }
    t.deepEqual(await alerts(), []);
  },
);

test.serial(
  'when many citizens write about one matter within hours, then hourly checks raise exactly one alert within the hour, and the spike it makes is noted on it',
  async (t) => {
    const burstAt = start + 35 * day + 9 * 3600_000;
    const burst = burstLetters({ at: new Date(burstAt), count: 30, topic: 'traffic', regionCode: '510104' });
    await insertLetters(gw.services.db, burst, { withClassification: true });
    const fifth = burst[4]!.receivedAt.getTime();
    let raisedAt: number | null = null;
    for (let at = burstAt; at <= burstAt + day; at += 3600_000) {
      const r = await runWarningChecks(gw.services, new Date(at));
      if (r.raised.length > 0 && raisedAt === null) raisedAt = at;
    }
    const all = await alerts();
    t.is(all.length, 1);
    t.is(all[0]!.kind, 'cluster');
    t.is(all[0]!.letter_count, 30);
    t.truthy(raisedAt);
    t.true(raisedAt! - fifth <= 3600_000, 'raised by the first hourly check after the fifth citizen wrote');
    t.like(all[0]!.detail, { spike: { topic: 'traffic', region: '510104' } });
  },
);

test.serial(
  'when one district suddenly gets many different letters on one topic, then one spike alert is raised once even by concurrent checks',
  async (t) => {
    const rnd = seeded(99);
    const at0 = start + 37 * day + 14 * 3600_000;
    // Different people, different words: a storm's aftermath, not one copied message.
    const texts = [
      '红星路小区从中午开始停水，到现在还没来水',
      '人民南路地下车库进水了，车都泡了',
      '玉林街的路面积水有半米深，孩子放学回不了家',
      '科华北路那边停电三个小时了，冰箱里的东西都坏了',
      '我家住建设路，楼上漏水漏到我家天花板',
      '双林路下水道堵了污水冒出来',
      '请问武侯区什么时候恢复供水？老人要吃药',
      '倒了一棵大树压在电线上，很危险',
      '地铁站口积水，行人只能趟水过去',
      '小区电梯进水停运，八十岁老人困在十六楼',
      '雨后垃圾站的垃圾被冲得满街都是',
      '隔壁工地的围挡被风吹倒了砸到路边的车',
      '物业说等通知，水电到底什么时候能恢复',
      '河边步道塌了一段，没有警示标志',
      '路灯杆倾斜快倒了，晚上看不清',
      '家里的燃气也没了，做不了饭',
      '菜市场被淹，摊贩损失很大希望有补助',
      '幼儿园门口积水，家长没法接孩子',
      '排水泵站是不是坏了？每次下雨都淹',
      '我们楼的配电房进水，物业不管',
      '公交站牌被吹倒挡住了盲道',
      '二环高架下的涵洞积水，有车熄火在里面',
      '养老院停电，空调不能用，老人受不了',
      '这条街的井盖被水冲开了，非常危险',
    ];
    const pile: MonthLetter[] = texts.map((text, i) => {
      const at = at0 + rnd() * 3 * 3600_000;
      return {
        id: uuidv7(at),
        citizenId: `pile-${i}`,
        receivedAt: new Date(at),
        channel: 'sms',
        kind: 'complaint',
        mailbox: { id: 'mayor', name: '市长信箱' },
        topic: 'environment',
        regionCode: '510107',
        text,
      };
    });
    await insertLetters(gw.services.db, pile, { withClassification: true });
    const when = new Date(at0 + 4 * 3600_000);
    const runs = await Promise.all(Array.from({ length: 8 }, () => runWarningChecks(gw.services, when)));
    t.is(runs.flatMap((r) => r.raised).length, 1);
    await runWarningChecks(gw.services, new Date(at0 + 5 * 3600_000));
    const spikes = (await alerts()).filter((a) => a.kind === 'spike');
    t.is(spikes.length, 1);
    t.regex(spikes[0]!.title, /环境保护·武侯区来信激增/);
    t.like(spikes[0]!.detail, { topic: 'environment', region: '510107', count: 24, test: 'conditional-binomial' });
    const events = await sql<{
      n: number;
    }>`select count(*)::int n from case_events where type = 'alert.raised'`.execute(gw.services.db);
    t.is(events.rows[0]!.n, 2);
  },
);
