// The spike check: for every topic × region, the letters of the last 24 hours against the same 24 hours one, two, …
// weeks earlier (the same weekday and hours, so the ordinary weekly and daily rhythm is part of the baseline).
// Test: x letters now and S in the W earlier windows; under "same rate" x | x + S ~ Binomial(x + S, 1/(W + 1)) (the
// conditional test of two Poisson rates); a spike when P(X ≥ x) is below WARNING_SPIKE_ALPHA and x is at least
// WARNING_SPIKE_MIN_LETTERS. One alert per series and day (Asia/Shanghai)
// by its unique key. A spike whose letters mostly belong to one cluster alert is that matter's alert already: it is
// noted on the cluster alert instead of raising a second one.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { spikePValue } from './rate-test.js';
import { raiseAlert } from './alerts.js';
import { say } from './messages.zh-CN.js';

export interface SpikeSettings {
  alpha: number;
  minLetters: number;
  baselineWeeks: number;
  wecom: boolean;
}

export interface SpikeFinding {
  topic: string;
  region: string;
  count: number;
  baseline: number;
  pValue: number;
}

interface WindowCount {
  topic: string;
  region: string;
  week: number;
  n: number;
}

const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The series that are spiking at `now` (pure statistics, nothing stored). */
export async function findSpikes(db: Db, now: Date, s: SpikeSettings): Promise<SpikeFinding[]> {
  const oldest = await sql<{ at: Date | null }>`select min(received_at) at from letters`.execute(db);
  const at = oldest.rows[0]?.at;
  // Without a full baseline every series looks new; the check waits until the platform has the history it needs.
  if (!at || at.getTime() > now.getTime() - s.baselineWeeks * 7 * 86_400_000) return [];
  const rows = await sql<WindowCount>`
    select l.topic, l.region_code as region, w.week, count(*)::int n
    from generate_series(0, ${s.baselineWeeks}) as w(week)
    join letters l on l.received_at >  ${now}::timestamptz - (w.week * 7 + 1) * interval '1 day'
                  and l.received_at <= ${now}::timestamptz - w.week * 7 * interval '1 day'
    where l.topic is not null and l.region_code is not null
    group by 1, 2, 3`.execute(db);
  const series = new Map<string, { topic: string; region: string; current: number; past: number }>();
  for (const r of rows.rows) {
    const k = `${r.topic}\u0000${r.region}`;
    const e = series.get(k) ?? { topic: r.topic, region: r.region, current: 0, past: 0 };
    if (r.week === 0) e.current = r.n;
    else e.past += r.n;
    series.set(k, e);
  }
  const found: SpikeFinding[] = [];
  for (const e of series.values()) {
    if (e.current < s.minLetters) continue;
    const baseline = e.past / s.baselineWeeks;
    const pValue = spikePValue(e.current, e.past, s.baselineWeeks);
    if (pValue < s.alpha) found.push({ topic: e.topic, region: e.region, count: e.current, baseline, pValue });
  }
  return found;
}

export async function checkSpikes(
  db: Db,
  now: Date,
  s: SpikeSettings,
  names: (f: SpikeFinding) => { topic: string; region: string },
): Promise<string[]> {
  const raised: string[] = [];
  for (const f of await findSpikes(db, now, s)) {
    const since = new Date(now.getTime() - 86_400_000);
    const id = await db.transaction().execute(async (trx) => {
      // The cluster check takes the same lock: a spike is compared with cluster alerts that are complete.
      await sql`select pg_advisory_xact_lock(hashtext('warnings:clusters'))`.execute(trx);
      const letters = await sql<{ id: string; citizen_id: string; received_at: Date; alert_id: string | null }>`
        select l.id, l.citizen_id, l.received_at, al.alert_id
        from letters l left join warning_alert_letters al on al.letter_id = l.id
        where l.topic = ${f.topic} and l.region_code = ${f.region} and l.received_at > ${since} and l.received_at <= ${now}
        order by l.received_at, l.id`.execute(trx);
      const byCluster = new Map<string, number>();
      for (const l of letters.rows) if (l.alert_id) byCluster.set(l.alert_id, (byCluster.get(l.alert_id) ?? 0) + 1);
      const excess = f.count - f.baseline;
      const spike = {
        topic: f.topic,
        region: f.region,
        count: f.count,
        baseline: round(f.baseline),
        pValue: f.pValue,
        date: shanghaiDate(now),
      };
      const [cluster, clustered] = [...byCluster.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
      if (cluster && clustered >= excess / 2) {
        await sql`update warning_alerts set detail = detail || jsonb_build_object('spike', ${JSON.stringify(spike)}::jsonb), updated_at = now()
                  where id = ${cluster}`.execute(trx);
        return null;
      }
      const first = letters.rows[0];
      const last = letters.rows[letters.rows.length - 1];
      const n = names(f);
      return raiseAlert(
        trx,
        {
          kind: 'spike',
          dedupKey: `spike:${f.topic}:${f.region}:${spike.date}`,
          title: say('warnings.spike.title', {
            topic: n.topic,
            region: n.region,
            count: f.count,
            baseline: round(f.baseline),
          }),
          detail: {
            ...spike,
            topicName: n.topic,
            regionName: n.region,
            test: 'conditional-binomial',
            alpha: s.alpha,
            baselineWeeks: s.baselineWeeks,
          },
          letterCount: f.count,
          citizenCount: new Set(letters.rows.map((l) => l.citizen_id)).size,
          firstLetterId: first?.id ?? null,
          lastLetterId: last?.id ?? null,
          firstAt: first?.received_at ?? since,
          lastAt: last?.received_at ?? now,
        },
        { wecom: s.wecom },
      );
    });
    if (id) raised.push(id);
  }
  return raised;
}

const round = (x: number) => Math.round(x * 10) / 10;
