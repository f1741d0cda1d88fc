// CPU time of the embedded PostgreSQL's processes (the postmaster, its backends and background workers, and those
// already gone, counted in their parent) read from /proc, for the per-letter figures of `npm run bench:pipeline`.
// Linux only; elsewhere (or with an external DATABASE_URL) it answers undefined.
import { readdirSync, readFileSync } from 'node:fs';

// Linux reports these fields in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on.
const TICK_MS = 10;

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, ms */
  own: number;
  /** cutime + cstime (children waited for), ms */
  reaped: number;
}

function readStat(pid: string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces or parentheses: split after the last one.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    return {
      pid: Number(pid),
      ppid: Number(f[1]),
      comm,
      own: (Number(f[11]) + Number(f[12])) * TICK_MS,
      reaped: (Number(f[13]) + Number(f[14])) * TICK_MS,
    };
  } catch {
    return undefined;
  }
}

/** ms of CPU used so far by every `postgres` process below `rootPid` (this process by default). */
export function postgresCpuMs(rootPid = process.pid): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const stats = new Map<number, Stat>();
  for (const e of entries) {
    const s = readStat(e);
    if (s) stats.set(s.pid, s);
  }
  const below = (s: Stat): boolean => {
    for (let p = s.ppid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === rootPid) return true;
      const parent = stats.get(p);
      if (!parent) return false;
      p = parent.ppid;
    }
    return false;
  };
  let total = 0;
  let found = false;
  for (const s of stats.values()) {
    if (s.comm !== 'postgres' || !below(s)) continue;
    found = true;
    total += s.own;
    // Backends that ended were waited for by the postmaster: their time is in its cutime/cstime.
    if (stats.get(s.ppid)?.comm !== 'postgres') total += s.reaped;
  }
  return found ? total : undefined;
}

/** ms of CPU used so far by one process (itself only), or undefined when it is gone or there is no /proc. */
export function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : readStat(String(pid))?.own;
}

/** ms of CPU the whole machine has been busy so far, all cores together (from /proc/stat), or undefined. */
export function machineBusyMs(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) * TICK_MS;
  } catch {
    return undefined;
  }
}
