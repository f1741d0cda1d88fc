import test from 'ava';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { createAliyunClient } from '../../../gateway/channels/sms/providers/aliyun/client.js';
import { developmentAccessKey } from '../../../gateway/channels/sms/providers/aliyun/simulator/index.js';
import { popV1Signature } from '../../../gateway/channels/sms/providers/aliyun/simulator/signature.js';

// The Aliyun simulator checks the signature the official SDK puts on each call (ACS3-HMAC-SHA256): the SDK's own
// request, captured on the wire and replayed byte for byte, is accepted; the same request with one parameter changed
// is refused as Aliyun refuses it.
let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SMS_PUSH_TOKEN: 'sandbox-push-token-0123456789' });
});
test.after.always(async () => {
  await gw?.stop();
});

interface Wire {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The SDK's SendSms exactly as it leaves the process, taken by a local listener standing in for the endpoint. */
async function sdkRequest(phone: string, secret?: string): Promise<Wire> {
  let taken: Wire | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      taken = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: '1^0', RequestId: 'x' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const key = await developmentAccessKey(gw.services.db);
    const client = createAliyunClient({
      accessKeyId: key.id,
      accessKeySecret: secret ?? key.secret,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/providers/aliyun`,
      timeoutMs: 10_000,
    });
    await client.send({
      phone,
      signName: '成都网络理政',
      templateCode: 'SMS_SURVEY',
      params: { serial: 'CD20261130000041' },
      outId: randomUUID(),
    });
  } finally {
    server.close();
  }
  return taken!;
}

/** Sends `w` to the gateway as it is: same method, path, query, headers (the signed Host too) and body. */
function replay(w: Wire): Promise<{ status: number; body: { Code?: string } }> {
  const { port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), method: w.method, path: w.url, headers: w.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Code?: string },
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(w.body);
  });
}

test('when the SDK signs SendSms with the development key, then the simulator accepts the request it sent', async (t) => {
  const w = await sdkRequest('+8613900000040');
  t.regex(String(w.headers.authorization), /^ACS3-HMAC-SHA256 Credential=LTAI/);
  const r = await replay(w);
  t.is(r.status, 200);
  t.is(r.body.Code, 'OK');
});

test('when a signed SendSms is changed on the way (another number, another header value) or signed with another secret, then the simulator answers 400 SignatureDoesNotMatch and sends nothing', async (t) => {
  const w = await sdkRequest('+8613900000041');
  const url = new URL(w.url, 'http://x');
  url.searchParams.set('PhoneNumbers', '13900000042');
  const otherNumber = await replay({ ...w, url: url.pathname + url.search });
  t.deepEqual([otherNumber.status, otherNumber.body.Code], [400, 'SignatureDoesNotMatch']);
  const otherAction = await replay({ ...w, headers: { ...w.headers, 'x-acs-action': 'QuerySendDetails' } });
  t.deepEqual([otherAction.status, otherAction.body.Code], [400, 'SignatureDoesNotMatch']);
  const unsignedHeader = await replay({ ...w, headers: { ...w.headers, 'x-acs-extra': '1' } });
  t.is(unsignedHeader.body.Code, 'SignatureDoesNotMatch');
  const wrongSecret = await replay(await sdkRequest('+8613900000041', 'not-the-secret'));
  t.deepEqual([wrongSecret.status, wrongSecret.body.Code], [400, 'SignatureDoesNotMatch']);
  const sent = await gw.services.db
    .selectFrom('sandbox_provider_calls')
    .select('id')
    .where('recipient', 'in', ['13900000041', '13900000042'])
    .execute();
  t.deepEqual(sent, []);
});

test('when the POP v1 signature is computed for the official example (testId/testSecret), then it is the documented one', (t) => {
  const params = {
    AccessKeyId: 'testId',
    Action: 'SendSms',
    Format: 'XML',
    OutId: '123',
    PhoneNumbers: '15300000001',
    RegionId: 'cn-hangzhou',
    SignName: '阿里云短信测试专用',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
    SignatureVersion: '1.0',
    TemplateCode: 'SMS_71390007',
    TemplateParam: '{"customer":"test"}',
    Timestamp: '2017-07-12T02:42:19Z',
    Version: '2017-05-25',
  };
  t.is(popV1Signature('GET', params, 'testSecret'), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
});
