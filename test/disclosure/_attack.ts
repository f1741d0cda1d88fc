// An attacker holding every published table (all snapshots, all groupings): it writes down every relation the
// numbers satisfy — each column's hidden cells sum to its total minus the shown cells, a shown rate times a shown
// denominator gives the numerator — and, stronger than any real attacker, it is told which hidden cells kept their
// value between two snapshots. Gaussian elimination then finds every hidden cell the relations pin to one value.
import { countMeasures, rateMeasures, type PublishedTable } from '../../gateway/disclosure/suppress.js';

export interface Snapshot {
  /** grouping → table */
  tables: Map<string, PublishedTable>;
  /** The truth behind the hidden cells, only to tell the attacker which kept their value and to check findings. */
  hiddenTruth: Map<string, number>;
}

export interface Recovered {
  variable: string;
  value: number;
}

/** Every small count (1 … threshold − 1) the published numbers give away. */
export function attack(snapshots: Snapshot[], threshold: number): { shownSmall: string[]; recovered: Recovered[] } {
  const shownSmall: string[] = [];
  const vars = new Map<string, number>();
  const v = (name: string) => {
    if (!vars.has(name)) vars.set(name, vars.size);
    return vars.get(name)!;
  };
  const equations: { coef: Map<number, number>; rhs: number }[] = [];
  snapshots.forEach((snap, s) => {
    for (const [grouping, table] of snap.tables) {
      for (const row of [...table.groups, table.total]) {
        for (const m of countMeasures) {
          const x = row.counts[m];
          if (x !== null && x > 0 && x < threshold) shownSmall.push(`${s}/${grouping}/${row.key}/${m}=${x}`);
        }
        for (const [r, [n, d]] of Object.entries(rateMeasures)) {
          const rv = row.rates[r as keyof typeof rateMeasures];
          if (rv === null) continue;
          // n = rate × d, whichever of them is hidden.
          const nv = row.counts[n];
          const dv = row.counts[d];
          if (nv === null && dv !== null)
            equations.push({ coef: new Map([[v(`${s}/${grouping}/${row.key}/${n}`), 1]]), rhs: Math.round(rv * dv) });
          if (dv === null && nv !== null && rv > 0)
            equations.push({ coef: new Map([[v(`${s}/${grouping}/${row.key}/${d}`), 1]]), rhs: Math.round(nv / rv) });
        }
      }
      for (const m of countMeasures) {
        const total = table.total.counts[m];
        const coef = new Map<number, number>();
        let shown = 0;
        for (const row of table.groups) {
          const x = row.counts[m];
          if (x === null) coef.set(v(`${s}/${grouping}/${row.key}/${m}`), 1);
          else shown += x;
        }
        if (total === null) coef.set(v(`${s}/${grouping}//${m}`), -1);
        if (coef.size > 0) equations.push({ coef, rhs: total === null ? -shown : total - shown });
      }
    }
    // The oracle: hidden cells whose value did not change since the previous snapshot.
    if (s > 0) {
      for (const [name, value] of snap.hiddenTruth) {
        if (snapshots[s - 1]!.hiddenTruth.get(name) === value) {
          equations.push({
            coef: new Map([
              [v(`${s}/${name}`), 1],
              [v(`${s - 1}/${name}`), -1],
            ]),
            rhs: 0,
          });
        }
      }
    }
  });
  const n = vars.size;
  const rows = equations.map((e) => {
    const r = new Array<number>(n + 1).fill(0);
    for (const [i, c] of e.coef) r[i] = c;
    r[n] = e.rhs;
    return r;
  });
  // Reduced row echelon form.
  let lead = 0;
  const pivots: number[] = [];
  for (let col = 0; col < n && lead < rows.length; col++) {
    let p = lead;
    while (p < rows.length && Math.abs(rows[p]![col]!) < 1e-9) p++;
    if (p === rows.length) continue;
    [rows[lead], rows[p]] = [rows[p]!, rows[lead]!];
    const pr = rows[lead]!;
    const f = pr[col]!;
    for (let k = 0; k <= n; k++) pr[k]! /= f;
    for (let r = 0; r < rows.length; r++) {
      if (r === lead) continue;
      const g = rows[r]![col]!;
      if (Math.abs(g) < 1e-9) continue;
      for (let k = 0; k <= n; k++) rows[r]![k]! -= g * pr[k]!;
    }
    pivots[lead] = col;
    lead++;
  }
  const names = [...vars.keys()];
  const recovered: Recovered[] = [];
  for (let r = 0; r < lead; r++) {
    const row = rows[r]!;
    const others = row.slice(0, n).filter((c, i) => i !== pivots[r] && Math.abs(c) > 1e-9).length;
    if (others > 0) continue;
    const value = Math.round(row[n]!);
    if (value > 0 && value < threshold) recovered.push({ variable: names[pivots[r]!]!, value });
  }
  return { shownSmall, recovered };
}

/** The names of hidden cells with their true published values, as `grouping/key/measure`. */
export function hiddenTruthOf(
  tables: Map<string, PublishedTable>,
  states: Map<string, Map<string, { value: number; hidden: boolean }>>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [grouping, table] of tables) {
    const st = states.get(grouping)!;
    for (const row of table.groups) {
      for (const m of countMeasures)
        if (row.counts[m] === null) out.set(`${grouping}/${row.key}/${m}`, st.get(`${row.key}\u0000${m}`)!.value);
    }
  }
  return out;
}
