import test from 'ava';
import { spawnGateway, type ChildGateway } from '../_support/child-gateway.js';
import { createEmptyDatabase } from '../_support/database.js';
import { eventually } from '../_support/gateway.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

const ready = (port: number) =>
  fetch(`http://127.0.0.1:${port}/readyz`)
    .then((r) => r.ok)
    .catch(() => false);

test('when three instances start at the same moment on a fresh empty database, then all of them become ready, every time', async (t) => {
  t.timeout(600_000);
  for (let round = 1; round <= 3; round++) {
    const databaseUrl = await createEmptyDatabase();
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const children: ChildGateway[] = ports.map((port) =>
      spawnGateway({
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      }),
    );
    try {
      await eventually(
        async () => {
          const crashed = children.find((c) => c.process.exitCode !== null);
          if (crashed)
            throw new Error(
              `round ${round}: an instance exited with ${crashed.process.exitCode}:\n${crashed.output()}`,
            );
          const states = await Promise.all(ports.map(ready));
          return states.every(Boolean) || undefined;
        },
        120_000,
        `round ${round}: all three ready`,
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${children.map((c) => c.output()).join('\n---\n')}`);
      });
      t.pass(`round ${round}`);
    } finally {
      for (const c of children) c.process.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
    }
  }
});
