import test from 'ava';
import { sql } from 'kysely';
import { startConsoleGateway, type StaffClient } from '../admin/_staff.js';
import type { TestGateway } from '../_support/gateway.js';
import { generateLetters, insertLetters } from '../_support/letter-month.js';
import { checkClusters, type ClusterSettings } from '../../gateway/warnings/clusters.js';
import { burstLetters } from './_burst.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
});
test.after.always(async () => {
  await gw?.stop();
});

const settings: ClusterSettings = { windowDays: 3, similarity: 0.6, minCitizens: 5, wecom: false };

test.serial(
  'when three weeks of ordinary letters are checked day by day, then no cluster alert is raised',
  async (t) => {
    await insertLetters(
      gw.services.db,
      generateLetters({ start: new Date('2026-09-01T00:00:00+08:00'), days: 21, perDay: 230, seed: 3 }),
    );
    for (let d = 3; d <= 21; d += 3) {
      const r = await checkClusters(
        gw.services.db,
        new Date(Date.parse('2026-09-01T00:00:00+08:00') + d * 86_400_000),
        settings,
      );
      t.deepEqual(r.raised, []);
    }
    const n = await sql<{ n: number }>`select count(*)::int n from warning_alerts`.execute(gw.services.db);
    t.is(n.rows[0]!.n, 0);
  },
);

test.serial(
  'when many citizens write about one matter and checks run at once on several instances, then exactly one alert is stored, sent as alert.raised and shown in the console',
  async (t) => {
    const burst = burstLetters({
      at: new Date('2026-09-19T09:00:00+08:00'),
      count: 30,
      topic: 'traffic',
      regionCode: '510104',
    });
    await insertLetters(gw.services.db, burst.slice(0, 20));
    const now = new Date('2026-09-19T20:00:00+08:00');
    // Twelve checks at the same moment, as instances whose jobs overlap would run them.
    const runs = await Promise.all(Array.from({ length: 12 }, () => checkClusters(gw.services.db, now, settings)));
    t.is(runs.flatMap((r) => r.raised).length, 1);
    const alerts = await sql<{ id: string; letter_count: number; citizen_count: number; kind: string }>`
    select id, letter_count, citizen_count, kind from warning_alerts`.execute(gw.services.db);
    t.is(alerts.rows.length, 1);
    const alert = alerts.rows[0]!;
    t.like(alert, { kind: 'cluster', letter_count: 20, citizen_count: 20 });
    const events = await sql<{
      payload: { type: string; data: { alertId: string; letterCount: number; firstSerial: string } };
    }>`
    select payload from case_events where type = 'alert.raised'`.execute(gw.services.db);
    t.is(events.rows.length, 1);
    t.is(events.rows[0]!.payload.data.alertId, alert.id);
    t.is(events.rows[0]!.payload.data.firstSerial.startsWith('GEN'), true);

    // The matter keeps coming in: the same alert grows, no second one is raised.
    await insertLetters(gw.services.db, burst.slice(20));
    const later = await checkClusters(gw.services.db, new Date('2026-09-20T12:00:00+08:00'), settings);
    t.deepEqual(later.raised, []);
    t.deepEqual(later.grown, [alert.id]);
    const grown = await sql<{
      letter_count: number;
      last_letter_id: string;
    }>`select letter_count, last_letter_id from warning_alerts`.execute(gw.services.db);
    t.is(grown.rows[0]!.letter_count, 30);
    t.is(grown.rows[0]!.last_letter_id, burst[29]!.id);

    const r = await admin.call('GET', '/alerts');
    t.is(r.status, 200);
    const body = (await r.json()) as {
      alerts: { id: string; title: string; letterCount: number; citizenCount: number }[];
    };
    t.is(body.alerts.length, 1);
    t.is(body.alerts[0]!.letterCount, 30);
    t.is(body.alerts[0]!.citizenCount, 30);
    t.regex(body.alerts[0]!.title, /多位市民反映同一事项/);
    t.regex(body.alerts[0]!.title, /地铁3号线/);
    const ack = await Promise.all(
      Array.from({ length: 5 }, () => admin.call('POST', `/alerts/${alert.id}/acknowledge`)),
    );
    t.deepEqual(ack.map((x) => x.status).sort(), [200, 409, 409, 409, 409]);
  },
);
