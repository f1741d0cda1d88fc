// A stand-in case store for console tests: answers 503 while `down`, 400 while `rejecting`, else accepts with a serial.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../gateway/store/db.js';
import { eventually } from '../_support/gateway.js';

export interface FakeCaseStore {
  url: string;
  mode: 'up' | 'down' | 'rejecting';
  close(): Promise<void>;
}

export async function fakeCaseStore(): Promise<FakeCaseStore> {
  let n = 0;
  const serials = new Map<string, string>();
  const store: FakeCaseStore = { url: '', mode: 'down', close: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (store.mode === 'down') return void res.writeHead(503).end('{"error":"maintenance"}');
      if (store.mode === 'rejecting')
        return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"mailbox closed"}');
      const key = String(req.headers['idempotency-key']);
      if (!serials.has(key)) serials.set(key, `CD20261126${String(++n).padStart(6, '0')}`);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ serial: serials.get(key) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  store.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return store;
}

/**
 * Makes the forwarder back off from a letter for an hour, as it would after many failures, so that only a staff
 * retry sends it again. Repeated because a forwarding pass in flight may still record its own shorter wait.
 */
export async function backOffForAnHour(db: Db, letterId: string): Promise<void> {
  await eventually(async () => {
    await db
      .updateTable('letters')
      .set({ next_forward_at: new Date(Date.now() + 3600_000) })
      .where('id', '=', letterId)
      .execute();
    await new Promise((r) => setTimeout(r, 300));
    const row = await db
      .selectFrom('letters')
      .select('next_forward_at')
      .where('id', '=', letterId)
      .executeTakeFirstOrThrow();
    return new Date(row.next_forward_at).getTime() > Date.now() + 1800_000 ? true : undefined;
  });
}
