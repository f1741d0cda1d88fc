// `npm start` runs the gateway under tsx, whose interop gives a CommonJS package's exports differently from the
// compiled code the other tests load: the Aliyun client must find the SDK's class both ways. Here it sends through
// tsx in a child process, to a local endpoint answering as Aliyun's SendSms does.
import test from 'ava';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

test('when the gateway runs under tsx as npm start does, then an SMS goes out through the Aliyun SDK', async (t) => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: '900619746045^0', RequestId: 'F655A8D5-B967-440B' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const script = `
    import { createAliyunClient } from './gateway/channels/sms/providers/aliyun/client.ts';
    const client = createAliyunClient({ accessKeyId: 'test-key', accessKeySecret: 'test-secret', endpoint: ${JSON.stringify(endpoint)}, timeoutMs: 5000 });
    const outcome = await client.send({ phone: '+8613800138000', signName: '成都网络理政', templateCode: 'SMS_1', params: { serial: 'CD1' }, outId: 'd1' });
    console.log(JSON.stringify(outcome));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  t.is(code, 0, out);
  t.deepEqual(JSON.parse(out.trim().split('\n').at(-1)!), { outcome: 'accepted', providerMessageId: '900619746045^0' });
  t.is(requests.length, 1);
  t.regex(requests[0]!, /PhoneNumbers=13800138000&.*TemplateCode=SMS_1/);
});
