// A nock stand-in for dysmsapi.aliyuncs.com that answers like the real API: POST with the parameters in the query
// string, the action in `x-acs-action`, business errors in 200 bodies. Each test scripts the numbers it uses; every
// other SendSms is judged by the sandbox simulator's own rules (simulator/rules.ts: number, signature, template,
// parameter JSON, variable length, links) against the templates the gateway ships, so a rule lives in one place.
import nock from 'nock';
import {
  approvedTemplate,
  checkSendSms,
  type ApprovedTemplate,
} from '../../../gateway/channels/sms/providers/aliyun/simulator/rules.js';
import { readDefaultTemplates } from '../../../gateway/templates/file-format.js';
import { webTemplates } from '../../../gateway/channels/web/templates.js';

export const ALIYUN_ENDPOINT = 'http://dysmsapi.test';
export const SMS_PUSH_TOKEN = 'push-token-0123456789abcdef';

/** Settings of a gateway whose SMS channel is live against this fake (sign name overridable per instance). */
export const smsLiveEnv = (signName = '成都网络理政'): Record<string, string> => ({
  ALIYUN_SMS_ACCESS_KEY_ID: 'testId',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'testSecret',
  ALIYUN_SMS_SIGN_NAME: signName,
  ALIYUN_SMS_ENDPOINT: ALIYUN_ENDPOINT,
  SMS_PUSH_TOKEN,
});

export interface AliyunCall {
  action: string;
  query: Record<string, string>;
  at: number;
}

type Answer = { status?: number; body: Record<string, unknown>; delayMs?: number };
export type Script = (call: AliyunCall, calls: AliyunCall[]) => Answer;

export const ok = (bizId = `${Date.now()}^0`): Answer => ({
  body: { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' },
});
export const business = (code: string, message: string): Answer => ({
  body: { Code: code, Message: message, RequestId: 'A8D5F655-440B-B967-8683-FF8DE990DAD6' },
});

// The SMS templates the gateway ships (its own and the web mailbox's), as the account has them approved.
const shipped = [...readDefaultTemplates(), ...webTemplates()].filter((t) => t.route === 'sms').map((t) => t.content);

/**
 * `templates`: more approved codes (e.g. ones a test writes as staff); `configured`: codes approved because settings
 * name them (by default the web mailbox's verification code). Any other code is refused as Aliyun refuses it.
 */
export function fakeAliyun(
  templates: Record<string, ApprovedTemplate> = {},
  configured: readonly string[] = ['SMS_486215100'],
) {
  const approved = (code: string | undefined): ApprovedTemplate | undefined =>
    code === undefined ? undefined : (templates[code] ?? approvedTemplate(shipped, code, configured));
  const calls: AliyunCall[] = [];
  const scripts = new Map<string, Script>();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const scope = nock(ALIYUN_ENDPOINT)
    .persist()
    .post('/')
    .query(true)
    .reply(function (uri, _body, callback) {
      const query = Object.fromEntries(new URL(uri, ALIYUN_ENDPOINT).searchParams);
      const action = String(this.req.headers['x-acs-action']);
      const call = { action, query, at: Date.now() };
      calls.push(call);
      const phone = query.PhoneNumbers ?? query.PhoneNumber ?? '';
      const script = scripts.get(phone);
      const refused = action === 'SendSms' ? checkSendSms(query, approved(query.TemplateCode)) : undefined;
      const answer =
        refused && 'Code' in refused
          ? business(refused.Code, refused.Message)
          : script
            ? script(
                call,
                calls.filter((c) => (c.query.PhoneNumbers ?? c.query.PhoneNumber) === phone),
              )
            : ok();
      const send = () =>
        callback(null, [answer.status ?? 200, answer.body, { 'content-type': 'application/json;charset=utf-8' }]);
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  return {
    calls,
    /** Calls for one number (as Aliyun writes it, without +86). */
    callsFor: (phone: string, action?: string) =>
      calls.filter((c) => (c.query.PhoneNumbers ?? c.query.PhoneNumber) === phone && (!action || c.action === action)),
    script(phone: string, s: Script) {
      scripts.set(phone, s);
    },
    stop() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}
