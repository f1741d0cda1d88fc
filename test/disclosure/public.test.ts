import test from 'ava';
import { sql } from 'kysely';
import { startConsoleGateway, type StaffClient } from '../admin/_staff.js';
import type { TestGateway } from '../_support/gateway.js';
import { eventually } from '../_support/gateway.js';
import { seeded } from '../_support/letter-month.js';
import { sampleIntake } from '../_support/letters.js';
import { refreshPublicSnapshot, type PublicSnapshot } from '../../gateway/disclosure/snapshot.js';
import { countMeasures, type PublishedTable } from '../../gateway/disclosure/suppress.js';
import { attack, type Snapshot } from './_attack.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({ PUBLIC_REQUESTS_PER_MINUTE: '10000' }));
});
test.after.always(async () => {
  await gw?.stop();
});

// Daily KPI facts (the KPI job's table) for a month shaped like the seed month: big and tiny departments/mailboxes.
const departments = [
  ['市城管委', 30],
  ['市住建局', 25],
  ['市交通运输局', 18],
  ['市生态环境局', 14],
  ['市档案馆', 0.3],
  ['市地震局', 0.2],
  ['', 2],
] as const;
const mailboxes = [
  ['mayor', 60],
  ['secretary', 25],
  ['district-jinjiang', 10],
  ['street-chunxi', 0.4],
] as const;

async function addFacts(days: string[], seed: number, perDay: number) {
  const rnd = seeded(seed);
  for (const day of days) {
    for (const [grouping, groups] of [
      ['department', departments],
      ['mailbox', mailboxes],
    ] as const) {
      const total = groups.reduce((s, [, w]) => s + w, 0);
      for (const [key, w] of groups) {
        const mean = (perDay * w) / total;
        const received = Math.floor(mean + rnd() * (mean < 1 ? 1.2 : 2));
        if (received === 0) continue;
        const replied = Math.round(received * (0.9 + rnd() * 0.1));
        const closed = Math.round(replied * 0.9);
        const answered = Math.round(closed * 0.5);
        const satisfied = Math.round(answered * 0.9);
        const due = received;
        const overdue = Math.round(received * 0.08 * rnd());
        await sql`
          insert into kpi_daily (grouping, day, key, received, replied, cycle_days_sum, cycle_days, closed, resolved, answered, satisfied, due, overdue)
          values (${grouping}, ${day}::date, ${key}, ${received}, ${replied}, 0, '{}', ${closed}, ${closed}, ${answered}, ${satisfied}, ${due}, ${overdue})
          on conflict (grouping, day, key) do update set received = kpi_daily.received + excluded.received, replied = kpi_daily.replied + excluded.replied,
            closed = kpi_daily.closed + excluded.closed, answered = kpi_daily.answered + excluded.answered, satisfied = kpi_daily.satisfied + excluded.satisfied,
            due = kpi_daily.due + excluded.due, overdue = kpi_daily.overdue + excluded.overdue`.execute(gw.services.db);
      }
    }
  }
}

const daysOf = (month: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${month}-${String(from + i).padStart(2, '0')}`);

async function snapshotOf(body: PublicSnapshot): Promise<Snapshot[]> {
  // One attacker snapshot per published period; the hidden truth comes from the stored published states.
  const out: Snapshot[] = [];
  for (const p of body.periods) {
    const tables = new Map<string, PublishedTable>(Object.entries(p.tables));
    const cells = await sql<{ grouping: string; key: string; measure: string; value: number }>`
      select grouping, key, measure, value from public_cells where period = ${p.period}`.execute(gw.services.db);
    const hiddenTruth = new Map<string, number>();
    for (const [grouping, t] of tables) {
      for (const row of t.groups) {
        for (const m of countMeasures) {
          if (row.counts[m] === null)
            hiddenTruth.set(
              `${p.period}:${grouping}/${row.key}/${m}`,
              cells.rows.find((c) => c.grouping === grouping && c.key === row.key && c.measure === m)!.value,
            );
        }
      }
    }
    out.push({ tables: new Map([...tables].map(([g, t]) => [`${p.period}:${g}`, t])), hiddenTruth });
  }
  return out;
}

test.serial(
  'when the public figures are refreshed while letters keep coming, then the page, JSON and CSV show them without login and nothing below the threshold can be recovered from all snapshots together',
  async (t) => {
    const now = (d: string) => new Date(`${d}T12:00:00+08:00`);
    await addFacts(daysOf('2026-10', 1, 31), 1, 220);
    const snaps: Snapshot[][] = [];
    for (const [i, d] of [10, 11, 12, 13, 14, 20, 28].entries()) {
      await addFacts(daysOf('2026-11', d, d), 100 + i, 220);
      await refreshPublicSnapshot(gw.services.db, 5, now(`2026-11-${d}`));
      const r = await fetch(`${gw.url}/public/figures.json`);
      t.is(r.status, 200);
      t.regex(r.headers.get('cache-control') ?? '', /^public, max-age=\d+/);
      snaps.push(await snapshotOf((await r.json()) as PublicSnapshot));
    }
    // Attack each period's sequence of snapshots (October published once per refresh too).
    const nov = snaps.map((s) => s[0]!);
    const oct = snaps.map((s) => s[1]!);
    for (const series of [nov, oct]) {
      const found = attack(series, 5);
      t.deepEqual(found.shownSmall, []);
      t.deepEqual(found.recovered, []);
    }
    t.true(
      nov.some((s) => s.hiddenTruth.size > 0),
      'tiny departments were hidden',
    );
    const body = (await (await fetch(`${gw.url}/public/figures.json`)).json()) as PublicSnapshot;
    const dept = body.periods.find((p) => p.period === '2026-10')!.tables['department']!;
    const big = dept.groups.find((g) => g.key === '市城管委')!;
    t.true((big.counts.received ?? 0) > 100);
    t.is(typeof big.rates.satisfactionRate, 'number');
    const hiddenRows = body.periods
      .flatMap((p) => Object.values(p.tables).flatMap((x) => x.groups))
      .filter((g) => g.counts.received === null);
    t.true(hiddenRows.length > 0);
    for (const g of hiddenRows) t.is(g.rates.replyRate, null);

    const csv = await fetch(`${gw.url}/public/figures.csv`);
    t.is(csv.status, 200);
    const text = await csv.text();
    t.true(text.includes(`2026-10,department,市城管委,市城管委,${big.counts.received},`));
    const page = await fetch(`${gw.url}/public/`);
    t.is(page.status, 200);
    const html = await page.text();
    t.regex(html, /网络理政公开通报/);
    t.regex(html, /市城管委/);
    t.regex(html, /未分派/);
  },
);

test.serial(
  'when staff approve a letter the citizen agreed to publish, then it appears with phone numbers masked and its reply beside it; a private letter cannot be approved',
  async (t) => {
    const { letterId } = await gw.services.intake.submit(
      sampleIntake({ visibility: 'public', body: '幸福路8号的路灯坏了，联系电话13800138000，请修理。' }),
    );
    await eventually(async () =>
      (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow())
        .serial
        ? true
        : undefined,
    );
    t.is(
      (
        await gw.api(`/api/v1/letters/${letterId}/replies`, {
          method: 'POST',
          json: { text: '已安排维修，感谢监督。' },
        })
      ).status,
      202,
    );
    const r = await admin.call('POST', '/public-letters', { letterId });
    t.is(r.status, 201);
    const list = (await (await fetch(`${gw.url}/public/letters.json`)).json()) as {
      letters: { text: string; reply: string | null }[];
    };
    t.is(list.letters.length, 1);
    t.is(list.letters[0]!.text, '幸福路8号的路灯坏了，联系电话***********，请修理。');
    t.is(list.letters[0]!.reply, '已安排维修，感谢监督。');
    const html = await (await fetch(`${gw.url}/public/`)).text();
    t.regex(html, /已安排维修/);
    t.false(html.includes('13800138000'));

    const priv = await gw.services.intake.submit(sampleIntake({ visibility: 'private' }));
    t.is((await admin.call('POST', '/public-letters', { letterId: priv.letterId })).status, 409);
    t.is((await admin.call('DELETE', `/public-letters/${letterId}`)).status, 204);
    t.is(((await (await fetch(`${gw.url}/public/letters.json`)).json()) as { letters: unknown[] }).letters.length, 0);
  },
);
