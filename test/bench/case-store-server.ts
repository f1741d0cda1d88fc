// A minimal case store for benchmarks, run as its own process: accepts letters, answers 201 with a serial per id.
import { createServer } from 'node:http';

const serials = new Map<string, string>();
let next = 1;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const id = String(req.headers['idempotency-key'] ?? '');
    if (!serials.has(id)) serials.set(id, `BENCH${String(next++).padStart(9, '0')}`);
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ serial: serials.get(id) }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  if (a && typeof a === 'object') process.stdout.write(`listening ${a.port}\n`);
});
