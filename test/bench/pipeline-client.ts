// Load generator for `npm run bench:pipeline`, run in its own process: CITIZENS official-account followers each send
// a text push and then the submit word, with CONNECTIONS requests in flight; prints one JSON line with the time each
// citizen's first push was sent (epoch ms) and the answers that were not 200. With RATE (citizens per second) the
// load is open: citizen i starts at i / RATE seconds whether or not the gateway has answered the others, as citizens
// do, so a gateway that cannot keep up builds a queue instead of slowing the load down.
//
// It shares the two cores with what it measures, so it does as little as a client can: every request is prepared as
// bytes before the clock starts and written on a kept-alive socket, and only the status line and the length of each
// answer are read (node:http's client cost about 0.18 ms of CPU per letter, this one a third of that).
import { connect, type Socket } from 'node:net';
import { msgId, signedPush, textMessage } from '../_support/wechat-oa.js';

const [base, citizensArg, connectionsArg, prefixArg, rateArg] = process.argv.slice(2);
const citizens = Number(citizensArg);
const connections = Number(connectionsArg);
const rate = Number(rateArg ?? 0);
const url = new URL(base!);

const request = (p: { query: string; body: string }): Buffer => {
  const body = Buffer.from(p.body);
  const head =
    `POST /wechat/oa?${p.query} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/xml\r\n` +
    `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
};

// Prepared before the clock starts: signing and encrypting is the load generator's work, not the gateway's.
// A warm-up round uses other followers (its own prefix), so the measured citizens are all new.
const openid = (i: number) => `${prefixArg ?? 'oPipe'}${String(i).padStart(6, '0')}`;
const prepared = Array.from(
  { length: citizens },
  (_, i) =>
    [
      request(signedPush(textMessage(openid(i), `投诉：第${i}号路灯坏了，晚上很黑`, msgId()))),
      request(signedPush(textMessage(openid(i), '提交', msgId()))),
    ] as const,
);

/** Resolves with the answer's status, or 0 when the connection failed before a whole answer came. */
type Waiting = { bytes: Buffer; done: (status: number) => void };
const queue: Waiting[] = [];
const idle: Connection[] = [];

class Connection {
  private socket: Socket | undefined;
  private current: Waiting | undefined;
  private received: Buffer = Buffer.alloc(0);

  send(w: Waiting) {
    this.current = w;
    if (!this.socket) this.open();
    this.socket!.write(w.bytes);
  }

  private open() {
    const s = connect(Number(url.port), url.hostname);
    s.setNoDelay(true);
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    const lost = () => {
      if (this.socket !== s) return;
      this.socket = undefined;
      this.received = Buffer.alloc(0);
      this.finish(0);
    };
    s.on('error', lost);
    s.on('close', lost);
    this.socket = s;
  }

  private onData(chunk: Buffer) {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const end = this.received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.received.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    // Every answer of the gateway's push route has a length: a chunked one would be a change worth seeing.
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) throw new Error(`an answer without Content-Length: ${head}`);
    const total = end + 4 + Number(length[1]);
    if (this.received.length < total) return;
    this.received = this.received.subarray(total);
    if (/\r\nconnection: *close/i.test(head)) {
      const s = this.socket;
      this.socket = undefined;
      s?.destroy();
    }
    this.finish(status);
  }

  private finish(status: number) {
    const w = this.current;
    if (!w) return;
    this.current = undefined;
    w.done(status);
    const next = queue.shift();
    if (next) this.send(next);
    else idle.push(this);
  }

  close() {
    this.socket?.destroy();
  }
}

const pool = Array.from({ length: connections }, () => new Connection());
idle.push(...pool);
// A request waits for a free connection, as WeChat's servers would wait for one.
const post = (bytes: Buffer) =>
  new Promise<number>((done) => {
    const c = idle.pop();
    if (c) c.send({ bytes, done });
    else queue.push({ bytes, done });
  });

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
  // Open load: every few milliseconds, the citizens whose time has come start.
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
for (const c of pool) c.close();
// Its own CPU, preparation left out, so that the benchmark can show what the load itself cost.
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({ started, finished: Date.now(), failures, pushedAt, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n',
);
