import test from 'ava';
import { randomUUID } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { ALIYUN_ENDPOINT, fakeAliyun } from './fake-aliyun.js';
import { createAliyunClient } from '../../../gateway/channels/sms/providers/aliyun/client.js';
import { developmentAccessKey } from '../../../gateway/channels/sms/providers/aliyun/simulator/index.js';
import type { SmsClient, SmsSendRequest } from '../../../gateway/channels/sms/provider.js';

// The live-mode tests' fake of Aliyun and the sandbox's simulator are one model of SendSms: the official SDK's same
// request gets the same Code from both.
let gw: TestGateway;
let fake: SmsClient;
let sim: SmsClient;
test.before(async () => {
  gw = await startTestGateway({ SMS_PUSH_TOKEN: 'sandbox-push-token-0123456789' });
  fakeAliyun();
  fake = createAliyunClient({
    accessKeyId: 'testId',
    accessKeySecret: 'testSecret',
    endpoint: ALIYUN_ENDPOINT,
    timeoutMs: 10_000,
  });
  const key = await developmentAccessKey(gw.services.db);
  sim = createAliyunClient({
    accessKeyId: key.id,
    accessKeySecret: key.secret,
    endpoint: `${gw.url}/sandbox/providers/aliyun`,
    timeoutMs: 10_000,
  });
});
test.after.always(async () => {
  await gw?.stop();
});

const send = (over: Partial<SmsSendRequest>): SmsSendRequest => ({
  phone: '+8613900000031',
  signName: '成都网络理政',
  templateCode: 'SMS_SURVEY',
  params: { serial: 'CD20261130000001' },
  outId: randomUUID(),
  ...over,
});
const codeOf = (o: Awaited<ReturnType<SmsClient['send']>>) =>
  o.outcome === 'accepted' ? 'OK' : 'errorCode' in o ? o.errorCode : o.outcome;

test("when SendSms breaks one of Aliyun's rules, then the fake and the simulator refuse it with the same Code, and both accept the well-formed one", async (t) => {
  const cases: [Partial<SmsSendRequest>, string][] = [
    [{}, 'OK'],
    [{ phone: '+8612345' }, 'isv.MOBILE_NUMBER_ILLEGAL'],
    [{ signName: ' ' }, 'isv.SMS_SIGNATURE_ILLEGAL'],
    [{ templateCode: 'SMS_NOT_APPROVED' }, 'isv.SMS_TEMPLATE_ILLEGAL'],
    [{ params: {} }, 'isv.TEMPLATE_MISSING_PARAMETERS'],
    [{ params: { serial: '字'.repeat(36) } }, 'isv.PARAM_LENGTH_LIMIT'],
    [{ params: { serial: 'www.example.com' } }, 'isv.PARAM_NOT_SUPPORT_URL'],
  ];
  for (const [over, code] of cases) {
    const req = send(over);
    const [a, b] = [codeOf(await fake.send(req)), codeOf(await sim.send(req))];
    t.is(a, code, JSON.stringify(over));
    t.is(b, code, JSON.stringify(over));
  }
});
