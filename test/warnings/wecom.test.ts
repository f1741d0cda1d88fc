import test from 'ava';
import nock from 'nock';
import { sql } from 'kysely';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { insertLetters } from '../_support/letter-month.js';
import { checkClusters } from '../../gateway/warnings/clusters.js';
import { notifyWecom } from '../../gateway/warnings/wecom.js';
import { burstLetters } from './_burst.js';

const ROBOT = 'https://qyapi.weixin.qq.com';
const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
let gw: TestGateway;
test.before(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  gw = await startTestGateway({ WARNING_WECOM_WEBHOOK_URL: `${ROBOT}/cgi-bin/webhook/send?key=${KEY}` });
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const webhook = () => gw.services.config.WARNING_WECOM_WEBHOOK_URL!;
const state = async (id: string) =>
  (
    await sql<{
      wecom_state: string;
      wecom_error: string | null;
    }>`select wecom_state, wecom_error from warning_alerts where id = ${id}`.execute(gw.services.db)
  ).rows[0]!;
const raise = async (hour: number, seed: number) => {
  const at = new Date(`2026-08-0${hour}T09:00:00+08:00`);
  const burst = burstLetters({ at, count: 8, topic: 'traffic', regionCode: '510104', seed, spreadHours: 2 }).map(
    (l) => ({ ...l, citizenId: `${l.citizenId}-${seed}` }),
  );
  await insertLetters(gw.services.db, burst);
  const r = await checkClusters(gw.services.db, new Date(at.getTime() + 3 * 3600_000), {
    windowDays: 1,
    similarity: 0.6,
    minCitizens: 5,
    wecom: true,
  });
  return r.raised[0]!;
};

test.serial(
  'when the robot is over its rate limit (45009) and then accepts, then the alert is posted once as markdown and marked sent, even with senders racing',
  async (t) => {
    const id = await raise(1, 1);
    t.is((await state(id)).wecom_state, 'pending');
    const bodies: { msgtype: string; markdown: { content: string } }[] = [];
    nock(ROBOT)
      .post('/cgi-bin/webhook/send')
      .query({ key: KEY })
      .reply(200, { errcode: 45009, errmsg: 'api freq out of limit' });
    await notifyWecom(gw.services.db, webhook(), gw.services.log);
    t.like(await state(id), { wecom_state: 'pending', wecom_error: 'errcode 45009: api freq out of limit' });
    await sql`update warning_alerts set wecom_next_at = now() where id = ${id}`.execute(gw.services.db);
    nock(ROBOT)
      .post('/cgi-bin/webhook/send', (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .query({ key: KEY })
      .reply(200, { errcode: 0, errmsg: 'ok' });
    const sent = await Promise.all(
      Array.from({ length: 6 }, () => notifyWecom(gw.services.db, webhook(), gw.services.log)),
    );
    t.is(
      sent.reduce((a, b) => a + b, 0),
      1,
    );
    t.is((await state(id)).wecom_state, 'sent');
    t.is(bodies.length, 1);
    t.is(bodies[0]!.msgtype, 'markdown');
    t.regex(bodies[0]!.markdown.content, /综合预警[\s\S]*地铁3号线[\s\S]*来信8件，市民8位/);
  },
);

test.serial(
  "when the webhook key is wrong (93000), then the alert is marked failed with the robot's answer and not retried",
  async (t) => {
    const id = await raise(3, 2);
    nock(ROBOT)
      .post('/cgi-bin/webhook/send')
      .query({ key: KEY })
      .reply(200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1_abc]' });
    await notifyWecom(gw.services.db, webhook(), gw.services.log);
    const s = await state(id);
    t.is(s.wecom_state, 'failed');
    t.regex(s.wecom_error!, /^errcode 93000/);
    await sql`update warning_alerts set wecom_next_at = now() where id = ${id}`.execute(gw.services.db);
    t.is(await notifyWecom(gw.services.db, webhook(), gw.services.log), 0);
    t.true(nock.isDone());
  },
);
