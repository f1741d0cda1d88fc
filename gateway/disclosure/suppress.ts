// Small-count protection for the public figures (公开通报). A table is one period × one grouping: a row per group
// (department, mailbox), a column per count. Rules, each against one way of recovering a small count:
// - primary: a count from 1 to threshold − 1 is not shown (nor a count shown as 0 while letters exist);
// - rates go with their counts: a rate whose numerator or denominator is hidden is hidden too (rate × denominator
//   would give the count back);
// - complementary: in a column with hidden counts, more cells are hidden until at least two are and the hidden ones
//   add up to the threshold or more (the column total minus the shown cells is then a sum, not a count, and that
//   sum is never small); when no cell is left, the column's total is hidden in every grouping of the period;
// - comparing snapshots: after a period's first snapshot a published count only moves when the true count has moved
//   by the threshold or more (so the difference of two snapshots is 0 or large; a new group starts from 0), never
//   down into the small range, and a cell once hidden stays hidden for that period (a changing choice of
//   complementary cells would let two snapshots be solved together). Shown figures may so lag the truth by less
//   than the threshold.
// Totals are the sums of the shown values' underlying published counts, so every table adds up exactly.

export const countMeasures = ['received', 'replied', 'closed', 'answered', 'satisfied', 'due', 'overdue'] as const;
export type Measure = (typeof countMeasures)[number];
export const rateMeasures = {
  replyRate: ['replied', 'received'],
  satisfactionRate: ['satisfied', 'answered'],
  overdueRate: ['overdue', 'due'],
} as const satisfies Record<string, readonly [Measure, Measure]>;
export type RateName = keyof typeof rateMeasures;

/** What was published last time for one cell: its published count and whether it is hidden. */
export interface CellState {
  value: number;
  hidden: boolean;
}

export type TrueTable = Map<string, Record<Measure, number>>;

export interface PublishedRow {
  key: string;
  counts: Record<Measure, number | null>;
  rates: Record<RateName, number | null>;
}

export interface PublishedTable {
  groups: PublishedRow[];
  total: PublishedRow;
}

export const cellKey = (group: string, m: Measure) => `${group}\u0000${m}`;
/** The state of a column's total is kept under this group name (a hidden total stays hidden too). */
const TOTAL = '\u0001total';

const rate = (n: number | null, d: number | null) =>
  n === null || d === null || d === 0 ? null : Math.round((n / d) * 1000) / 1000;

/**
 * Protects the tables of one period (one per grouping). `previous` holds the cell states of the last snapshot of this
 * period per grouping (empty for the first); the new states come back to be stored.
 */
export function protectPeriod(
  tables: Map<string, TrueTable>,
  previous: Map<string, Map<string, CellState>>,
  threshold: number,
): { tables: Map<string, PublishedTable>; states: Map<string, Map<string, CellState>> } {
  const states = new Map<string, Map<string, CellState>>();
  const hiddenTotals = new Set<Measure>();
  const work = new Map<string, { groups: string[]; cells: Map<string, CellState> }>();
  for (const [grouping, table] of tables) {
    const prev = previous.get(grouping) ?? new Map<string, CellState>();
    for (const m of countMeasures) if (prev.get(cellKey(TOTAL, m))?.hidden) hiddenTotals.add(m);
    const groups = [...new Set([...table.keys(), ...[...prev.keys()].map((k) => k.split('\u0000')[0]!)])]
      .filter((g) => g !== TOTAL)
      .sort();
    const cells = new Map<string, CellState>();
    for (const g of groups) {
      for (const m of countMeasures) {
        const truth = table.get(g)?.[m] ?? 0;
        const p = prev.get(cellKey(g, m));
        // The first snapshot of a period shows the truth; later ones move a count only by the threshold or more (a
        // group new to the period starts from 0), and never down into the small range (the total's drop would
        // give the small value away).
        const last = p?.value ?? 0;
        const moves = Math.abs(truth - last) >= threshold && !(truth > 0 && truth < threshold && last >= threshold);
        const value = prev.size === 0 || moves ? truth : last;
        const small = (value > 0 && value < threshold) || (value === 0 && truth > 0);
        cells.set(cellKey(g, m), { value, hidden: (p?.hidden ?? false) || small });
      }
    }
    for (const m of countMeasures) {
      const column = groups.map((g) => ({ g, c: cells.get(cellKey(g, m))! }));
      const hidden = () => column.filter((x) => x.c.hidden);
      const hiddenSum = () => hidden().reduce((s, x) => s + x.c.value, 0);
      while (hidden().length > 0 && (hidden().length < 2 || hiddenSum() < threshold)) {
        const next = column
          .filter((x) => !x.c.hidden && x.c.value > 0)
          .sort((a, b) => a.c.value - b.c.value || a.g.localeCompare(b.g))[0];
        if (!next) {
          hiddenTotals.add(m);
          break;
        }
        next.c.hidden = true;
      }
    }
    work.set(grouping, { groups, cells });
    states.set(grouping, cells);
  }
  const sumOf = (cells: Map<string, CellState>, groups: string[], m: Measure) =>
    groups.reduce((s, g) => s + cells.get(cellKey(g, m))!.value, 0);
  // A small total is hidden, and a total hidden in one grouping is hidden in all (they count the same letters).
  for (const { groups, cells } of work.values()) {
    for (const m of countMeasures) {
      const v = sumOf(cells, groups, m);
      if (v > 0 && v < threshold) hiddenTotals.add(m);
    }
  }
  const out = new Map<string, PublishedTable>();
  for (const [grouping, { groups, cells }] of work) {
    const row = (key: string, get: (m: Measure) => CellState): PublishedRow => {
      const counts = Object.fromEntries(countMeasures.map((m) => [m, get(m).hidden ? null : get(m).value])) as Record<
        Measure,
        number | null
      >;
      const rates = Object.fromEntries(
        Object.entries(rateMeasures).map(([r, [n, d]]) => [r, rate(counts[n], counts[d])]),
      ) as Record<RateName, number | null>;
      return { key, counts, rates };
    };
    const total = row('', (m) => ({ value: sumOf(cells, groups, m), hidden: hiddenTotals.has(m) }));
    for (const m of countMeasures)
      cells.set(cellKey(TOTAL, m), { value: sumOf(cells, groups, m), hidden: hiddenTotals.has(m) });
    out.set(grouping, { groups: groups.map((g) => row(g, (m) => cells.get(cellKey(g, m))!)), total });
  }
  return { tables: out, states };
}
