import test from 'ava';
import {
  countMeasures,
  protectPeriod,
  type CellState,
  type Measure,
  type PublishedTable,
  type TrueTable,
} from '../../gateway/disclosure/suppress.js';
import { seeded } from '../_support/letter-month.js';
import { attack, hiddenTruthOf, type Snapshot } from './_attack.js';

const T = 5;
const departments = [
  ['城管局', 40],
  ['住建局', 30],
  ['交通局', 20],
  ['环保局', 12],
  ['档案馆', 0.4],
  ['地震局', 0.3],
  ['侨办', 0.2],
] as const;
const mailboxes = [
  ['市长信箱', 60],
  ['市委书记信箱', 30],
  ['区县信箱', 9],
  ['街道信箱', 0.6],
] as const;

interface SimLetter {
  dept: string;
  mailbox: string;
  replied: boolean;
  closed: boolean;
  answered: boolean;
  satisfied: boolean;
  due: boolean;
  overdue: boolean;
}

function pick(rnd: () => number, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [k, w] of items) if ((r -= w) < 0) return k;
  return items[0]![0];
}

function tableOf(letters: SimLetter[], by: 'dept' | 'mailbox'): TrueTable {
  const t: TrueTable = new Map();
  for (const l of letters) {
    const row = t.get(l[by]) ?? (Object.fromEntries(countMeasures.map((m) => [m, 0])) as Record<Measure, number>);
    row.received++;
    if (l.replied) row.replied++;
    if (l.closed) row.closed++;
    if (l.answered) row.answered++;
    if (l.satisfied) row.satisfied++;
    if (l.due) row.due++;
    if (l.overdue) row.overdue++;
    t.set(l[by], row);
  }
  return t;
}

/** A month of letters arriving and being handled, published after every batch; returns every snapshot. */
function simulate(
  seed: number,
  protect: (
    tables: Map<string, TrueTable>,
    prev: Map<string, Map<string, CellState>>,
  ) => { tables: Map<string, PublishedTable>; states: Map<string, Map<string, CellState>> },
): Snapshot[] {
  const rnd = seeded(seed);
  const letters: SimLetter[] = [];
  let prev = new Map<string, Map<string, CellState>>();
  const snaps: Snapshot[] = [];
  for (let step = 0; step < 30; step++) {
    for (let i = 0; i < 3 + Math.floor(rnd() * 12); i++) {
      letters.push({
        dept: pick(rnd, departments),
        mailbox: pick(rnd, mailboxes),
        replied: false,
        closed: false,
        answered: false,
        satisfied: false,
        due: false,
        overdue: false,
      });
    }
    for (const l of letters) {
      if (!l.replied && rnd() < 0.3) l.replied = true;
      if (l.replied && !l.closed && rnd() < 0.3) l.closed = true;
      if (l.closed && !l.answered && rnd() < 0.2) {
        l.answered = true;
        l.satisfied = rnd() < 0.9;
      }
      if (!l.due && rnd() < 0.2) {
        l.due = true;
        l.overdue = !l.replied;
      }
    }
    const r = protect(
      new Map([
        ['department', tableOf(letters, 'dept')],
        ['mailbox', tableOf(letters, 'mailbox')],
      ]),
      prev,
    );
    prev = r.states;
    snaps.push({ tables: r.tables, hiddenTruth: hiddenTruthOf(r.tables, r.states) });
  }
  return snaps;
}

test('when an attacker combines every snapshot, grouping, total and rate of protected figures, then no count below the threshold is shown or recovered', (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const snaps = simulate(seed, (tables, prev) => protectPeriod(tables, prev, T));
    const hidden = snaps.reduce((n, s) => n + s.hiddenTruth.size, 0);
    t.true(hidden > 0, 'the scenario has small groups to protect');
    const found = attack(snaps, T);
    t.deepEqual(found.shownSmall, [], `seed ${seed}`);
    t.deepEqual(found.recovered, [], `seed ${seed}`);
  }
});

test('when only the small counts themselves are hidden (no complementary cells, rates shown, fresh counts), then the same attack recovers them', (t) => {
  const naive = (tables: Map<string, TrueTable>) => {
    const out = new Map<string, PublishedTable>();
    const states = new Map<string, Map<string, CellState>>();
    for (const [g, table] of tables) {
      const st = new Map<string, CellState>();
      const groups = [...table.entries()].map(([key, row]) => {
        for (const m of countMeasures) st.set(`${key}\u0000${m}`, { value: row[m], hidden: row[m] > 0 && row[m] < T });
        const counts = Object.fromEntries(
          countMeasures.map((m) => [m, row[m] > 0 && row[m] < T ? null : row[m]]),
        ) as Record<Measure, number | null>;
        const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);
        return {
          key,
          counts,
          rates: {
            replyRate: rate(row.replied, row.received),
            satisfactionRate: rate(row.satisfied, row.answered),
            overdueRate: rate(row.overdue, row.due),
          },
        };
      });
      const sum = (m: Measure) => [...table.values()].reduce((s, r) => s + r[m], 0);
      const totalCounts = Object.fromEntries(countMeasures.map((m) => [m, sum(m)])) as Record<Measure, number>;
      out.set(g, {
        groups,
        total: { key: '', counts: totalCounts, rates: { replyRate: null, satisfactionRate: null, overdueRate: null } },
      });
      states.set(g, st);
    }
    return { tables: out, states };
  };
  const found = attack(simulate(1, naive), T);
  t.true(found.recovered.length > 0);
});
