// Who holds an embedded PostgreSQL's data directory at start-up. The server runs in a process group of its own (so a
// terminal's Ctrl-C reaches the gateway, which stops the server last), and nothing tells PostgreSQL that its parent
// died: a gateway killed outright (kill -9, the OOM killer) leaves its server running, holding DATA_DIR, and the next
// start would be refused as if another gateway ran there. Such a server, whose parent is no longer a Node process, is
// an orphan: it is stopped, the way its gateway would have stopped it, before the new one starts.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export type Holder =
  | { kind: 'none' }
  | { kind: 'gateway'; pid: number }
  /** A server whose gateway is gone (its parent is not a Node process). */
  | { kind: 'orphan'; pid: number };

/** The server named in `dir`'s postmaster.pid, if it still runs, and whether a gateway still owns it. */
export function holderOf(dir: string): Holder {
  const pid = runningServer(dir);
  if (pid === undefined) return { kind: 'none' };
  const parent = statOf(pid)?.ppid;
  // Without /proc (not Linux) the owner cannot be told: assume a gateway, as before.
  if (parent === undefined) return { kind: 'gateway', pid };
  return isNode(parent) ? { kind: 'gateway', pid } : { kind: 'orphan', pid };
}

/**
 * Stops an orphaned server with a fast shutdown (sessions end, a checkpoint is written, the data stays consistent),
 * as its gateway would have; if it has not ended after `timeoutMs`, with an immediate shutdown (recovered at the next
 * start, like a crash).
 */
export async function stopOrphan(pid: number, timeoutMs = 30_000): Promise<void> {
  process.kill(pid, 'SIGINT');
  if (await ended(pid, timeoutMs)) return;
  process.kill(pid, 'SIGQUIT');
  if (!(await ended(pid, 10_000))) throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
}

async function ended(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // A zombie waiting for its new parent to reap it has ended too.
    if (!alive(pid) || statOf(pid)?.state === 'Z') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The pid in postmaster.pid when that process still runs and is a PostgreSQL. */
function runningServer(dir: string): number | undefined {
  const file = join(dir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  // A stale file after a crash may name a pid since reused by something else.
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync(cmdline) && !readFileSync(cmdline, 'utf8').includes('postgres')) return undefined;
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State and parent from /proc/<pid>/stat; the command name in parentheses may itself hold spaces and parentheses. */
function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state && ppid ? { state, ppid: Number(ppid) } : undefined;
  } catch {
    return undefined;
  }
}

function isNode(pid: number): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return [basename(process.execPath), 'node'].includes(basename(argv0));
  } catch {
    return false;
  }
}
