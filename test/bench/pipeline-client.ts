// Load generator for `npm run bench:pipeline`, run in its own process: CITIZENS official-account followers each send
// a text push and then the submit word, with CONNECTIONS requests in flight; prints one JSON line with the time each
// citizen's first push was sent (epoch ms) and the answers that were not 200. With RATE (citizens per second) the
// load is open: citizen i starts at i / RATE seconds whether or not the gateway has answered the others, as citizens
// do, so a gateway that cannot keep up builds a queue instead of slowing the load down.
import { Agent, request } from 'node:http';
import { msgId, signedPush, textMessage } from '../_support/wechat-oa.js';

const [base, citizensArg, connectionsArg, prefixArg, rateArg] = process.argv.slice(2);
const citizens = Number(citizensArg);
const connections = Number(connectionsArg);
const rate = Number(rateArg ?? 0);
const url = new URL(base!);
const agent = new Agent({ keepAlive: true, maxSockets: connections });

function post(p: { query: string; body: string }): Promise<number> {
  return new Promise((resolve) => {
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
    req.on('error', () => resolve(0));
    req.end(p.body);
  });
}

// Prepared before the clock starts: signing and encrypting is the load generator's work, not the gateway's.
// A warm-up round uses other followers (its own prefix), so the measured citizens are all new.
const openid = (i: number) => `${prefixArg ?? 'oPipe'}${String(i).padStart(6, '0')}`;
const prepared = Array.from(
  { length: citizens },
  (_, i) =>
    [
      signedPush(textMessage(openid(i), `投诉：第${i}号路灯坏了，晚上很黑`, msgId())),
      signedPush(textMessage(openid(i), '提交', msgId())),
    ] as const,
);

const pushedAt: Record<string, number> = {};
const failures: Record<string, number> = {};
const citizen = async (i: number) => {
  const [text, submit] = prepared[i]!;
  pushedAt[openid(i)] = Date.now();
  for (const p of [text, submit]) {
    const status = await post(p);
    if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
  }
};
let next = 0;
const cpuBefore = process.cpuUsage();
const started = Date.now();
if (rate > 0) {
  // Open load: every few milliseconds, the citizens whose time has come start (the agent queues them when all
  // CONNECTIONS sockets are busy, as WeChat's servers would wait for a connection).
  const running: Promise<void>[] = [];
  while (next < citizens) {
    const due = Math.min(citizens, Math.floor(((Date.now() - started) * rate) / 1000) + 1);
    while (next < due) running.push(citizen(next++));
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(running);
} else {
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < citizens) await citizen(next++);
    }),
  );
}
agent.destroy();
// Its own CPU, preparation left out, so that the benchmark can show what the load itself cost.
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({ started, finished: Date.now(), failures, pushedAt, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n',
);
