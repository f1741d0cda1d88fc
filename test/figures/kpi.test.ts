import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { computeKpis, kpiGroupings, type KpiFigures } from '../../gateway/figures/kpi.js';
import { rebuildFacts } from '../../gateway/figures/facts.js';
import { classificationFor } from '../../gateway/classification/service.js';
import { createMailboxDirectory, readMailboxFile, sampleMailboxFile } from '../../gateway/mp/mailboxes.js';
import { generate, hand, insert, keyOf, type GenLetter } from './_month.js';

let gw: TestGateway;
let month: GenLetter[];
let before: GenLetter[];
test.before(async () => {
  gw = await startTestGateway();
  await createMailboxDirectory(gw.services.db).load(readMailboxFile(sampleMailboxFile), 'sample');
  // September 2026 as the period, the 30 days before it as the previous period.
  month = generate(15, '2026-09-01', 30, 6796);
  before = generate(16, '2026-08-02', 30, 1500);
  await insert(gw.services.db, [...month, ...before]);
});
test.after.always(() => gw?.stop());

const period = { from: '2026-09-01', to: '2026-09-30' };
const c = () => classificationFor(gw.services.db, gw.services.config);

test.serial(
  'when a generated month is counted, then the totals and the previous period match a hand computation',
  async (t) => {
    const r = await computeKpis(gw.services.db, period, c());
    t.is(r.previousFrom, '2026-08-02');
    t.is(r.previousTo, '2026-08-31');
    t.deepEqual(r.totals.current, hand(month));
    t.deepEqual(r.totals.previous, hand(before));
    // Shaped like the seed month: about 99 % replied, 90 % resolved and satisfied.
    t.true(r.totals.current.replyRate! > 0.97 && r.totals.current.satisfactionRate! > 0.85);
  },
);

for (const g of kpiGroupings) {
  test.serial(
    `when the month is grouped by ${g}, then every group and its previous period match a hand computation`,
    async (t) => {
      const r = await computeKpis(gw.services.db, { ...period, groupBy: g }, c());
      const keys = new Set([...month, ...before].filter((l) => !l.rejected).map((l) => keyOf(l, g)));
      t.deepEqual(r.groups.map((x) => x.key).sort(), [...keys].sort());
      for (const row of r.groups) {
        t.deepEqual(row.current, hand(month.filter((l) => keyOf(l, g) === row.key)), `${g}=${row.key} current`);
        t.deepEqual(row.previous, hand(before.filter((l) => keyOf(l, g) === row.key)), `${g}=${row.key} previous`);
      }
      t.deepEqual(r.totals.current, hand(month));
    },
  );
}

test.serial(
  'when groups are labelled, then staff read Chinese names for levels, kinds, topics and regions',
  async (t) => {
    const label = async (g: (typeof kpiGroupings)[number], key: string) =>
      (await computeKpis(gw.services.db, { ...period, groupBy: g }, c())).groups.find((x) => x.key === key)?.label;
    t.is(await label('mailboxLevel', 'party-secretary'), '市委书记信箱');
    t.is(await label('mailboxLevel', 'street'), '乡镇（街道）');
    t.is(await label('kind', 'complaint'), '投诉');
    t.is(await label('topic', 'city-management'), '城市管理');
    t.is(await label('region', '510107'), '武侯区');
    t.is(await label('region', ''), '（未知）');
    t.is(await label('mailbox', 'city-mayor'), '市长信箱');
  },
);

test.serial(
  'when the case store corrects a topic and reports the department and the resolution, then the figures change at once and the history keeps the old values',
  async (t) => {
    const letter =
      month.find((l) => !l.rejected && l.topic === 'housing' && l.repliedAt === null && l.deadlineAt) ??
      month.find((l) => !l.rejected && l.topic === 'housing')!;
    const topicOf = async (code: string) =>
      (await computeKpis(gw.services.db, { ...period, groupBy: 'topic' }, c())).groups.find((g) => g.key === code)!
        .current;
    const [housing, traffic] = [await topicOf('housing'), await topicOf('traffic')];
    const r = await gw.api(`/api/v1/letters/${letter.id}/status`, {
      method: 'POST',
      json: { topic: 'traffic', resolved: false, department: '市交通运输局' },
    });
    t.is(r.status, 200);
    t.deepEqual(
      ((await r.json()) as { updated: string[] }).updated.sort(),
      ['department', 'resolved', 'topic'].filter((f) => f !== 'resolved' || letter.resolved !== false).sort(),
    );
    t.is((await topicOf('housing')).received, housing.received - 1);
    t.is((await topicOf('traffic')).received, traffic.received + 1);
    const moved = { ...letter, topic: 'traffic', resolved: false, department: '市交通运输局' };
    const now = month.map((l) => (l.id === letter.id ? moved : l));
    t.deepEqual(await topicOf('traffic'), hand(now.filter((l) => l.topic === 'traffic')));
    // The history keeps what was there before.
    const history = await gw.services.db
      .selectFrom('letter_case_updates')
      .select(['changes', 'source'])
      .where('letter_id', '=', letter.id)
      .execute();
    t.is(history.length, 1);
    t.deepEqual((history[0]!.changes as { topic: unknown }).topic, { from: 'housing', to: 'traffic' });
    t.regex(history[0]!.source, /^case-store:/);
    // A full rebuild gives the same figures as the incremental path.
    const incremental = await computeKpis(gw.services.db, { ...period, groupBy: 'department' }, c());
    await rebuildFacts(gw.services.db);
    t.deepEqual(await computeKpis(gw.services.db, { ...period, groupBy: 'department' }, c()), incremental);
  },
);

test.serial(
  'when the case store asks for statistics, then GET /api/v1/stats carries the KPIs with the previous period',
  async (t) => {
    const r = await gw.api('/api/v1/stats?from=2026-09-01&to=2026-09-30&groupBy=topic');
    t.is(r.status, 200);
    const body = (await r.json()) as {
      groupBy: string;
      groups: unknown[];
      kpis: { groupBy: string; totals: { current: KpiFigures; previous: KpiFigures }; groups: { key: string }[] };
    };
    t.is(body.groupBy, 'topic');
    t.is(body.kpis.groupBy, 'topic');
    t.is(body.kpis.totals.previous.received, hand(before).received);
    t.true(body.kpis.groups.some((g) => g.key === 'city-management'));
    const origin = (await (await gw.api('/api/v1/stats?from=2026-09-01&to=2026-09-30&groupBy=origin')).json()) as {
      kpis: { groupBy: null; groups: unknown[] };
    };
    t.is(origin.kpis.groupBy, null);
    t.deepEqual(origin.kpis.groups, []);
  },
);
