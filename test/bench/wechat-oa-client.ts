// Load generator for `npm run bench:wechat-oa`, run in its own process so it does not share the gateway's event
// loop: prepares signed, encrypted text pushes (fresh timestamps, unique MsgIds), then keeps CONNECTIONS requests in
// flight for SECONDS and prints one JSON line with the latencies.
import { Agent, request } from 'node:http';
import { msgId, signedPush, textMessage } from '../_support/wechat-oa.js';

const [base, secondsArg, connectionsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg);
const url = new URL(base!);
const agent = new Agent({ keepAlive: true, maxSockets: connections });

// Enough pushes for the run at well above the target rate; 500 citizens writing.
const count = Math.max(20_000, Math.ceil(seconds * 12_000));
const pushes = Array.from({ length: count }, (_, i) =>
  signedPush(textMessage(`oBench${i % 500}`, `路灯坏了，第${i}条`, msgId())),
);

function post(p: { query: string; body: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: `/wechat/oa?${p.query}`,
        headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(p.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(p.body);
  });
}

let next = 0;
const latencies: number[] = [];
const failures: Record<string, number> = {};
const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < until && next < pushes.length) {
      const p = pushes[next++]!;
      const t0 = performance.now();
      const status = await post(p).catch(() => 0);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ elapsed, failures, latencies }) + '\n');
