import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestGateway, eventually } from '../../_support/gateway.js';
import { createTestDatabase } from '../../_support/database.js';
import type { PushCredentials } from '../../../gateway/channels/sandbox/push-credentials.js';

/** Runs `npm run sandbox:push -- …` (the script itself, as the test run compiled it) with its exit code and output. */
function sandboxPush(args: string[]): Promise<{ code: number | null; out: string }> {
  const script = fileURLToPath(new URL('../../../tools/sandbox-push.js', import.meta.url));
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const development = (dataDir: string) => ({
  NODE_ENV: 'development',
  DATA_DIR: dataDir,
  CORE_API_KEY: '',
  WORKER_POLL_MS: '200',
  CONVERSATION_QUIET_SECONDS: '600',
});

test('when the gateway runs in development without push credentials, then it generates them once, and the push helper gets official-account (encrypted) and SMS letters in', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-push-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const databaseUrl = await createTestDatabase();
  const first = await startTestGateway(development(dataDir), databaseUrl);
  const creds = first.pushCredentials!;
  t.truthy(creds.oa && creds.sms);
  t.regex(creds.oa!.token, /^[A-Za-z0-9]{32}$/);
  t.regex(creds.oa!.aesKey!, /^[A-Za-z0-9]{43}$/);
  t.regex(creds.oa!.appId, /^wx[0-9a-f]{16}$/);
  t.true(creds.sms!.token.length >= 16);
  await first.stop();

  // A restart on the same database keeps them, and writes them where the helper looks.
  const gw = await startTestGateway(development(dataDir), databaseUrl);
  t.teardown(() => gw.stop());
  t.deepEqual({ ...gw.pushCredentials!, url: '' }, { ...creds, url: '' });
  const saved = JSON.parse(readFileSync(join(dataDir, 'sandbox-push.json'), 'utf8')) as PushCredentials;
  t.is(saved.url, gw.url);
  t.is(saved.oa!.token, creds.oa!.token);

  // Unsigned pushes are still refused: the endpoints are guarded exactly as live ones.
  t.is(
    (await fetch(`${gw.url}/sms/aliyun/uplink?token=wrong-token-0123456789`, { method: 'POST', body: '[]' })).status,
    401,
  );
  t.is(
    (await fetch(`${gw.url}/wechat/oa?signature=x&timestamp=1&nonce=1`, { method: 'POST', body: '<xml/>' })).status >=
      400,
    true,
  );

  const openid = 'oSandboxPushTest0000000000001';
  for (const text of ['小区门口的路灯坏了一个月', '提交']) {
    const r = await sandboxPush(['oa', text, '--from', openid, '--data-dir', dataDir]);
    t.is(r.code, 0, r.out);
    t.regex(r.out, /^200 /);
  }
  for (const text of ['地铁站出口共享单车乱停', '提交']) {
    const r = await sandboxPush(['sms', text, '--from', '13800138001', '--data-dir', dataDir]);
    t.is(r.code, 0, r.out);
    t.regex(r.out, /^200 /);
  }
  const reached = await eventually(
    async () => {
      const rows = await gw.services.db.selectFrom('sandbox_case_letters').select('letter').execute();
      const letters = rows.map(
        (r) =>
          (typeof r.letter === 'string' ? JSON.parse(r.letter) : r.letter) as {
            channel: string;
            body: string;
            citizen: { channelUserId: string };
          },
      );
      return letters.length >= 2 ? letters : undefined;
    },
    30_000,
    'both letters in the reference case store',
  );
  const oa = reached.find((l) => l.channel === 'wechat-oa')!;
  t.is(oa.citizen.channelUserId, openid);
  t.regex(oa.body, /路灯坏了/);
  const sms = reached.find((l) => l.channel === 'sms')!;
  t.is(sms.citizen.channelUserId, '+8613800138001');
  t.regex(sms.body, /共享单车/);

  // A wrong token given by flag is refused by the gateway, and the helper says so.
  const refused = await sandboxPush(['sms', '你好', '--url', gw.url, '--token', 'not-the-token-0123456789']);
  t.is(refused.code, 1);
  t.regex(refused.out, /^401 /);
});

test('when the gateway runs outside development without push credentials, then nothing is generated and the push endpoints stay closed', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-push-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const gw = await startTestGateway({ DATA_DIR: dataDir });
  t.teardown(() => gw.stop());
  t.is(gw.pushCredentials, undefined);
  t.false(existsSync(join(dataDir, 'sandbox-push.json')));
  t.is((await fetch(`${gw.url}/wechat/oa`, { method: 'POST', body: '<xml/>' })).status, 404);
  t.is(
    (await fetch(`${gw.url}/sms/aliyun/uplink?token=anything-long-enough`, { method: 'POST', body: '[]' })).status,
    401,
  );
  t.is(
    await gw.services.db
      .selectFrom('gateway_secrets')
      .select('name')
      .where('name', 'like', 'development-%')
      .executeTakeFirst(),
    undefined,
  );
});
