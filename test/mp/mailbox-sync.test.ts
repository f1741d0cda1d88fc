import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../gateway/casestore/client.js';
import { startTestGateway } from '../_support/gateway.js';

const SECRET = 'case-store-secret-for-mailboxes-01';

/** A case store that answers GET /mailboxes with `answer` (checking our signature) and accepts letters. */
async function caseStore(answer: {
  status: number;
  body?: unknown;
}): Promise<{ url: string; signed: boolean[]; server: Server }> {
  const signed: boolean[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/mailboxes') {
        const ts = String(req.headers['x-gateway-timestamp'] ?? '');
        signed.push(req.headers['x-gateway-signature'] === signBody(SECRET, ts, ''));
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body ?? { error: 'no' }));
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ serial: 'CS00000001' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signed, server };
}

const directory = {
  mailboxes: [
    { id: 'city-mayor', name: '市长信箱', level: 'city', region: { code: '510100', name: '成都市' } },
    {
      id: 'district-510107',
      name: '武侯区信箱',
      level: 'district',
      region: { code: '510107', name: '武侯区' },
      children: [{ id: 'street-x', name: '新街道信箱', level: 'street' }],
    },
  ],
};

test('when the case store offers a mailbox directory, then the mini-program picker shows it', async (t) => {
  const cs = await caseStore({ status: 200, body: directory });
  const gw = await startTestGateway({ CASE_STORE_URL: cs.url, CASE_STORE_SECRET: SECRET });
  t.teardown(async () => {
    await gw.stop();
    cs.server.close();
  });
  const tree = (await (await fetch(`${gw.url}/mp/mailboxes`)).json()) as {
    mailboxes: { id: string; children?: { name: string }[] }[];
  };
  t.deepEqual(
    tree.mailboxes.map((m) => m.id),
    ['city-mayor', 'district-510107'],
  );
  t.deepEqual(
    tree.mailboxes[1]!.children?.map((c) => c.name),
    ['新街道信箱'],
  );
  t.true(cs.signed.length >= 1 && cs.signed.every(Boolean), 'every directory request is signed');
});

test('when the case store has no mailbox directory, then the shipped directory is used', async (t) => {
  const cs = await caseStore({ status: 404 });
  const gw = await startTestGateway({ CASE_STORE_URL: cs.url, CASE_STORE_SECRET: SECRET });
  t.teardown(async () => {
    await gw.stop();
    cs.server.close();
  });
  const tree = (await (await fetch(`${gw.url}/mp/mailboxes`)).json()) as { mailboxes: { name: string }[] };
  t.true(tree.mailboxes.length > 20);
  t.is(tree.mailboxes[0]!.name, '市委书记信箱');
});

test('when the case store answers GET /mailboxes with something else, then the gateway starts with the shipped directory', async (t) => {
  const cs = await caseStore({ status: 200, body: { serial: 'not a directory' } });
  const gw = await startTestGateway({ CASE_STORE_URL: cs.url, CASE_STORE_SECRET: SECRET });
  t.teardown(async () => {
    await gw.stop();
    cs.server.close();
  });
  const tree = (await (await fetch(`${gw.url}/mp/mailboxes`)).json()) as { mailboxes: { name: string }[] };
  t.is(tree.mailboxes[0]!.name, '市委书记信箱');
});
