// Aliyun SMS through the official SDK (@alicloud/dysmsapi20170525): SendSms with OutId = our delivery id, and
// QuerySendDetails to find out whether a timed-out send went through. The endpoint is a URL (protocol included) so
// an egress proxy or a test fake can stand in for dysmsapi.aliyuncs.com.
// https://help.aliyun.com/document_detail/55284.htm (SendSms), https://help.aliyun.com/document_detail/55289.htm
import type { SmsClient, SmsLookup, SmsSendOutcome } from '../../provider.js';
import { outcomeOf } from './codes.js';

export interface AliyunClientOptions {
  accessKeyId: string;
  accessKeySecret: string;
  endpoint: string;
  timeoutMs: number;
}

// The SDK is loaded on the first send, not at start-up: it pulls in a few hundred modules, and a gateway (or a test
// process) that sends no SMS through Aliyun should not pay for them.
async function loadSdk() {
  const [sdkModule, { $OpenApiUtil }] = await Promise.all([
    import('@alicloud/dysmsapi20170525'),
    import('@alicloud/openapi-core'),
  ]);
  // The SDK is CommonJS. Under Node's ESM interop its exports object is the `default` export (the client class is its
  // `.default`); under tsx, which `npm start` runs, the namespace itself carries them (`default` is the class).
  const Dysmsapi =
    typeof sdkModule.default === 'function' ? (sdkModule as unknown as typeof sdkModule.default) : sdkModule.default;
  return { Dysmsapi, $OpenApiUtil };
}
let sdk: ReturnType<typeof loadSdk> | undefined;

/** The number as Aliyun writes it: mainland numbers without +86, others with their country code. */
function aliyunNumber(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '00');
}

const local = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function createAliyunClient(o: AliyunClientOptions): SmsClient {
  const url = new URL(o.endpoint);
  const connect = async () => {
    const { Dysmsapi, $OpenApiUtil } = await (sdk ??= loadSdk());
    const config = new $OpenApiUtil.Config({
      accessKeyId: o.accessKeyId,
      accessKeySecret: o.accessKeySecret,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      // A local endpoint (the sandbox's simulator, a sidecar proxy) connects at once unless this process is busy; a
      // remote one that takes 3 s to connect is down.
      connectTimeout: local(url) ? o.timeoutMs : Math.min(o.timeoutMs, 3000),
      readTimeout: o.timeoutMs,
    });
    const client = new Dysmsapi.default(config);
    // An endpoint with a path (an egress proxy's route, the sandbox's simulator) keeps it: the SDK posts to `/`.
    const prefix = url.pathname.replace(/\/+$/, '');
    if (prefix !== '') {
      const callApi = client.callApi.bind(client);
      client.callApi = (params, request, runtime) => {
        params.pathname = prefix + params.pathname;
        return callApi(params, request, runtime);
      };
    }
    return { Dysmsapi, client };
  };
  let connected: ReturnType<typeof connect> | undefined;
  return {
    async send(req): Promise<SmsSendOutcome> {
      try {
        const { Dysmsapi, client } = await (connected ??= connect());
        const res = await client.sendSms(
          new Dysmsapi.SendSmsRequest({
            phoneNumbers: aliyunNumber(req.phone),
            signName: req.signName,
            templateCode: req.templateCode,
            templateParam: JSON.stringify(req.params),
            outId: req.outId,
          }),
        );
        return outcomeOf(res.body?.code, res.body?.message, res.body?.bizId);
      } catch (err) {
        return failureOf(err);
      }
    },
    async lookup(q): Promise<SmsLookup> {
      // Sends of the last 30 days only; the day of the first try and today cover a retry across midnight.
      const { Dysmsapi, client } = await (connected ??= connect());
      const days = [...new Set([shanghaiDate(q.since), shanghaiDate(new Date())])];
      for (const sendDate of days) {
        for (let page = 1; page <= 20; page++) {
          const res = await client.querySendDetails(
            new Dysmsapi.QuerySendDetailsRequest({
              phoneNumber: aliyunNumber(q.phone),
              sendDate,
              pageSize: 50,
              currentPage: page,
            }),
          );
          if (res.body?.code !== 'OK')
            throw new Error(`QuerySendDetails answered ${res.body?.code ?? 'nothing'}: ${res.body?.message ?? ''}`);
          const list = res.body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
          const hit = list.find((d) => d.outId === q.outId);
          // SendStatus: 1 waiting for the receipt, 2 failed, 3 delivered.
          if (hit)
            return {
              found: true,
              status: hit.sendStatus === 3 ? 'delivered' : hit.sendStatus === 2 ? 'failed' : 'sent',
              ...(hit.errCode ? { errorCode: hit.errCode } : {}),
            };
          if (list.length < 50) break;
        }
      }
      return { found: false };
    },
  };
}

/** The SDK throws for transport failures and HTTP status ≥ 400; a body with a Code is still a business answer. */
function failureOf(err: unknown): SmsSendOutcome {
  const e = err as {
    code?: unknown;
    message?: string;
    statusCode?: unknown;
    data?: { Code?: unknown; Message?: unknown };
  };
  const code =
    typeof e.data?.Code === 'string'
      ? e.data.Code
      : typeof e.code === 'string' && e.statusCode !== undefined
        ? e.code
        : undefined;
  if (code) return outcomeOf(code, typeof e.data?.Message === 'string' ? e.data.Message : (e.message ?? ''), undefined);
  // No answer at all (timeout, reset): the SMS may have gone out.
  return { outcome: 'unknown', error: String(e.message ?? err) };
}
