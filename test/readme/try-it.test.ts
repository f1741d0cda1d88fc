// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway, stopGateway, untilReady } from '../_support/child-gateway.js';
import { eventually } from '../_support/gateway.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';

/** The fenced `sh` blocks of the README's "Try it" section, in order. */
function tryItBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Try it\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('README has no "Try it" section');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

/** One bash session for the whole walk-through, so variables set by one block are there for the next, as in a terminal. */
class Shell {
  private out = '';
  private readonly bash: ChildProcessWithoutNullStreams;
  constructor(env: Record<string, string>) {
    this.bash = spawn('bash', ['--norc', '--noprofile'], { env, cwd: process.cwd() });
    this.bash.stdout.on('data', (c: Buffer) => (this.out += c.toString()));
    this.bash.stderr.on('data', (c: Buffer) => (this.out += c.toString()));
  }
  async run(script: string): Promise<string> {
    const marker = `__block_done_${Math.random().toString(36).slice(2)}__`;
    const from = this.out.length;
    this.bash.stdin.write(`${script}\necho ${marker}\n`);
    await eventually(
      async () => (this.out.includes(marker, from) ? true : undefined),
      120_000,
      `block to finish:\n${script}`,
    );
    return this.out.slice(from, this.out.indexOf(marker, from));
  }
  close() {
    this.bash.stdin.end();
    this.bash.kill();
  }
}

test('when a newcomer follows the README "Try it" walk-through, then every command works and the letter goes from the channels to the survey result', async (t) => {
  t.timeout(300_000, 'a whole walk-through with a gateway started from scratch');
  const blocks = tryItBlocks();
  t.is(blocks[0], 'npm start', 'the walk-through starts the gateway the way this test does (tsx gateway/main.ts)');
  const dataDir = mkdtempSync(join(tmpdir(), 'try-it-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const gw = spawnGateway({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  t.teardown(() => stopGateway(gw));
  await untilReady(gw, port, 90_000);
  const banner = gw.output();
  const key = /development API key for \/api\/v1 \(revoked at the next start\): (\S+)/.exec(banner)?.[1];
  const password = /first admin account created — user: admin {2}password: (\S+)/.exec(banner)?.[1];
  t.truthy(key && password, banner);
  t.regex(banner, /development push credentials/);

  // The printed values go where the README says to paste them; the helper finds the credentials in this DATA_DIR.
  const shell = new Shell({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    DATA_DIR: dataDir,
    npm_config_update_notifier: 'false',
  });
  t.teardown(() => shell.close());
  const substitute = (b: string) =>
    b
      .replaceAll('http://localhost:8080', `http://127.0.0.1:${port}`)
      .replaceAll('<development API key>', key!)
      .replaceAll('<admin password>', password!);
  const run = (i: number) => shell.run(substitute(blocks[i]!));
  /** Runs a block again until its output shows the state it is there to show. */
  const runUntil = (i: number, ok: (out: string) => boolean, what: string) =>
    eventually(
      async () => {
        const out = await run(i);
        return ok(out) ? out : undefined;
      },
      90_000,
      what,
    );
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

  t.is((await run(1)).trim(), '');
  const oa = await run(2);
  t.is(count(oa, /^200 success$/gm), 2, oa);
  const sms = await run(3);
  t.is(count(sms, /^200 \{"code":0/gm), 2, sms);
  const mp = await run(4);
  t.regex(mp, /"letterId":"[0-9a-f-]{36}","extractionCode":"\d{6}"/);
  // The app reported the citizen's consents: one subscribe message each.
  t.regex(mp, /"MP_SUBSCRIBE_REPLY":2/);

  const caseStore = await runUntil(
    5,
    (o) => ['wechat-oa', 'sms', 'wechat-mp'].every((ch) => o.includes(`"channel":"${ch}"`)),
    'the three letters in the reference case store',
  );
  t.regex(caseStore, /"serial":"CD\d{14}"/);
  t.regex(caseStore, /路灯坏了一个多月/);
  t.regex(caseStore, /共享单车停放点/);

  const replies = await run(6);
  t.is(count(replies, /"status":"queued"/g), 2, replies);
  t.regex(replies, /"final":true/);

  const outbox = await runUntil(
    7,
    (o) => o.includes('\\"templateKey\\":\\"survey\\"') || o.includes('"templateKey":"survey"'),
    'the survey in the outbox',
  );
  t.regex(outbox, /reply/);
  // The outbox shows what the simulated WeChat received for each message and what it answered.
  t.regex(outbox, /\/cgi-bin\/message\/subscribe\/send/);
  t.regex(outbox, /"code":"0"/);

  const answered = await run(8);
  const view = JSON.parse(answered.trim().split('\n').at(-1)!) as {
    status: string;
    statusHistory: { status: string }[];
    survey: { state: string; score: number; reason: string };
  };
  t.like(view.survey, { state: 'answered', score: 1, reason: '修得很快' });
  t.deepEqual(
    view.statusHistory.map((h) => h.status),
    ['received', 'accepted', 'replied'],
  );

  const query = JSON.parse((await run(9)).trim().split('\n').at(-1)!) as {
    serial: string;
    status: string;
    timeline: unknown[];
  };
  t.regex(query.serial, /^CD\d{14}$/);
  t.is(query.status, 'replied');
  t.true(query.timeline.length > 0);
  t.is(blocks.length, 10, 'every block of the section was run');
});
