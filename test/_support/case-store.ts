// A real local HTTP server standing in for the case store: verifies the gateway's signature, answers from a script
// (status codes, delays, dropped connections), issues a stable serial per letter id, and records every request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../gateway/casestore/client.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

export const CASE_STORE_SECRET = 'case-store-secret-for-tests-0123';

/** A scripted answer, for any path or only for requests to `path` (e.g. `/events`). */
export type Behaviour = (
  { status: number; delayMs?: number; body?: unknown; /** sent as it is, not as JSON */ raw?: string } | { drop: true }
) & { path?: string };

export interface ReceivedRequest {
  path: string;
  idempotencyKey: string;
  signatureValid: boolean;
  body: { id?: string; [k: string]: unknown };
}

export interface FakeCaseStore {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Answers for the next requests, in order; when empty, letters get 201 with a serial. */
  script: Behaviour[];
  serials: Map<string, string>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function fakeCaseStore(port?: number): Promise<FakeCaseStore> {
  const chosen = port ?? (await freePort());
  let server: Server | undefined;
  let next = 1;
  const store: FakeCaseStore = {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    received: [],
    script: [],
    serials: new Map(),
    async start() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          // This case store offers no mailbox directory (the mini-program asks for one at start-up).
          if (req.method === 'GET') {
            res.writeHead(404, { 'content-type': 'application/json' });
            return res.end('{"error":"not found"}');
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const ts = String(req.headers['x-gateway-timestamp'] ?? '');
          const body = JSON.parse(raw) as ReceivedRequest['body'];
          store.received.push({
            path: req.url ?? '',
            idempotencyKey: String(req.headers['idempotency-key'] ?? ''),
            signatureValid: req.headers['x-gateway-signature'] === signBody(CASE_STORE_SECRET, ts, raw),
            body,
          });
          const at = store.script.findIndex((x) => x.path === undefined || x.path === req.url);
          const b = at >= 0 ? store.script.splice(at, 1)[0] : undefined;
          if (b && 'drop' in b) return req.socket.destroy();
          const answer = () => {
            if (b) {
              res.writeHead(b.status, { 'content-type': 'application/json' });
              if (b.raw !== undefined) return res.end(b.raw);
              return res.end(
                JSON.stringify(b.body ?? (b.status < 300 ? serialFor(body.id ?? '') : { error: 'scripted' })),
              );
            }
            res.writeHead(req.url === '/events' ? 200 : 201, { 'content-type': 'application/json' });
            res.end(JSON.stringify(req.url === '/events' ? { ok: true } : serialFor(body.id ?? '')));
          };
          if (b?.delayMs) setTimeout(answer, b.delayMs);
          else answer();
        });
      });
      server.keepAliveTimeout = 1000;
      await new Promise<void>((resolve) => server!.listen(chosen, '127.0.0.1', resolve));
      store.port = (server.address() as AddressInfo).port;
    },
    async close() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
  const serialFor = (id: string) => {
    if (!store.serials.has(id)) store.serials.set(id, `CS${String(next++).padStart(8, '0')}`);
    return { serial: store.serials.get(id), caseId: `case-${id.slice(0, 8)}` };
  };
  return store;
}
