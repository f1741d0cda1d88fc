import test from 'ava';
import { sql } from 'kysely';
import { eventually } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';
import { inbound } from '../../_support/conversation.js';
import { startConsoleGateway, type StaffClient } from '../../admin/_staff.js';
import type { TestGateway } from '../../_support/gateway.js';
import type { IntakeInput } from '../../../gateway/letters/intake.js';
import { Citizen, newPhone, writeLetter } from '../web/_web.js';
import { mpCitizen as devMpCitizen, readOutbox, SMS_PUSH_TOKEN } from './_sandbox.js';
import { postSmsUplink } from '../../_support/sms-uplink.js';

// Surveys route by route against the simulators the live adapters send to: the question as the provider received it,
// the outbox's record of it, and the citizen's answer reaching the case store.
let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({ SMS_PUSH_TOKEN, SURVEY_DELAY_SECONDS: '0' }));
});
test.after.always(async () => {
  await gw?.stop();
});

const outbox = (recipient: string) => readOutbox(admin, recipient);

const db = () => gw.services.db;
const settled = (letterId: string, kind: string) =>
  eventually(
    () =>
      db()
        .selectFrom('deliveries')
        .selectAll()
        .where('letter_id', '=', letterId)
        .where('kind', '=', kind)
        .where('status', 'not in', ['queued', 'sending'])
        .executeTakeFirst(),
    30_000,
    `the ${kind} to settle`,
  );
const attempts = (id: string) =>
  db()
    .selectFrom('delivery_attempts')
    .select(['route', 'outcome', 'error_code'])
    .where('delivery_id', '=', id)
    .orderBy('id')
    .execute();
/** What the simulator recorded for a delivery, exactly as the provider received it (the phone unmasked). */
const rawCalls = async (deliveryId: string) =>
  (
    await db()
      .selectFrom('sandbox_provider_calls')
      .select(['action', 'request', 'code', 'shown'])
      .where('delivery_id', '=', deliveryId)
      .orderBy('id')
      .execute()
  ).map((r) => ({ ...r, request: r.request as Record<string, unknown> }));

/** Starts the letter's survey as the case store does, once the receipt is out; the survey delivery when settled. */
async function surveyed(letterId: string) {
  await settled(letterId, 'receipt');
  const r = await gw.api(`/api/v1/letters/${letterId}/surveys`, {
    method: 'POST',
    headers: { 'idempotency-key': `survey-${letterId}` },
  });
  if (r.status >= 300) throw new Error(`starting the survey answered ${r.status}`);
  return settled(letterId, 'survey');
}

const submit = async (channel: IntakeInput['draft']['channel'], citizen: IntakeInput['draft']['citizen']) =>
  (await gw.services.intake.submit(sampleIntake({ channel, citizen }))).letterId;

/** The survey answer as the case store received it. */
const answerAtCaseStore = (letterId: string) =>
  eventually(
    async () => {
      const rows = await db().selectFrom('sandbox_case_events').select('event').execute();
      const events = rows.map((r) => (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as CaseEvent);
      return events.find((e) => e.type === 'survey.answered' && e.letterId === letterId);
    },
    30_000,
    'the answer at the case store',
  );
interface CaseEvent {
  type: string;
  letterId: string;
  data: { score: number; channel: string };
}

const surveyText = async (channel: string, route: string) =>
  (await gw.services.templates.current(channel, 'survey', route))!.content;

/** An official-account citizen who wrote (WeChat and the gateway both know of the message: the window is open). */
async function oaCitizenWhoWrote(openid: string) {
  await gw.services.conversation.accept([inbound(openid, { text: '你好' })]);
  await sql`insert into wechat_oa_followers (openid, subscribed, window_until, quota_left, last_message_at)
            values (${openid}, true, now() + interval '48 hours', 5, now())`.execute(db());
}

const smsUplink = (phone: string, content: string, seq: number) =>
  postSmsUplink(gw.url, SMS_PUSH_TOKEN, phone, content, seq);

test.serial(
  'when an official-account citizen in the window is surveyed, then the question is a customer-service text WeChat received as rendered, and the answer by message reaches the case store',
  async (t) => {
    const openid = 'o_sim_survey_window';
    await oaCitizenWhoWrote(openid);
    const letterId = await submit('wechat-oa', { channelUserId: openid, anonymous: false });
    const d = await surveyed(letterId);
    t.deepEqual([d.route, d.status], ['custom', 'sent'], d.last_error ?? '');
    const [call] = await rawCalls(d.id);
    t.like(call, { action: '/cgi-bin/message/custom/send', code: '0' });
    const text = (d.rendered as { text: string }).text;
    t.deepEqual(call!.request, { touser: openid, msgtype: 'text', text: { content: text } });
    t.is(call!.shown, text);
    const m = (await outbox(openid)).messages.find((x) => x.delivery_id === d.id)!;
    t.is(m.payload.templateKey, 'survey');
    t.deepEqual(
      m.calls.map((c) => [c.action, c.code, c.shown]),
      [['/cgi-bin/message/custom/send', '0', text]],
    );
    await gw.services.conversation.accept([inbound(openid, { text: '1' })]);
    t.like((await answerAtCaseStore(letterId)).data, { score: 1, channel: 'wechat-oa' });
  },
);

test.serial(
  'when an official-account citizen outside the window is surveyed, then the question is a template message WeChat received with its data, and the answer reaches the case store',
  async (t) => {
    const openid = 'o_sim_survey_template';
    const letterId = await submit('wechat-oa', { channelUserId: openid, anonymous: false });
    const d = await surveyed(letterId);
    t.deepEqual([d.route, d.status], ['template', 'sent'], d.last_error ?? '');
    const calls = await rawCalls(d.id);
    const call = calls.at(-1)!;
    t.like(call, { action: '/cgi-bin/message/template/send', code: '0' });
    const rendered = d.rendered as { templateId: string; data: Record<string, { value: string }> };
    t.like(call.request, { touser: openid, template_id: rendered.templateId, client_msg_id: d.id });
    const sent = call.request.data as Record<string, { value: string }>;
    t.deepEqual(Object.keys(sent), Object.keys(rendered.data));
    t.truthy((await surveyText('wechat-oa', 'template')).templateId);
    // What the citizen reads is what WeChat received: every field, one per line.
    t.is(
      call.shown,
      Object.entries(sent)
        .map(([k, v]) => `${k}: ${v.value}`)
        .join('\n'),
    );
    const m = (await outbox(openid)).messages.find((x) => x.delivery_id === d.id)!;
    t.is(m.calls.at(-1)!.shown, call.shown);
    t.is(d.provider_message_id, String(m.calls.at(-1)!.answer.msgid));
    await gw.services.conversation.accept([inbound(openid, { text: '3' })]);
    t.like((await answerAtCaseStore(letterId)).data, { score: 3, channel: 'wechat-oa' });
  },
);

const mpCitizen = (name: string) => devMpCitizen(gw.url, name);

test.serial(
  'when a mini-program citizen consented to the survey, then the question is a subscribe message the simulator accepted within the field limits, and the rating reaches the case store',
  async (t) => {
    const c = await mpCitizen('simsurveyconsent');
    const templateId = String((await surveyText('wechat-mp', 'subscribe')).templateId);
    t.is((await c.call('/mp/subscriptions', { result: { [templateId]: 'accept' } })).status, 200);
    const letterId = await submit('wechat-mp', { channelUserId: c.openid, anonymous: false });
    const d = await surveyed(letterId);
    t.deepEqual([d.route, d.status], ['subscribe', 'sent'], d.last_error ?? '');
    const [call] = await rawCalls(d.id);
    t.like(call, { action: '/cgi-bin/message/subscribe/send', code: '0' });
    t.like(call!.request, { touser: c.openid, template_id: templateId });
    const data = call!.request.data as Record<string, { value: string }>;
    for (const [k, v] of Object.entries(data)) if (k.startsWith('thing')) t.true([...v.value].length <= 20);
    t.is(
      call!.shown,
      Object.entries(data)
        .map(([k, v]) => `${k}: ${v.value}`)
        .join('\n'),
    );
    t.is((await outbox(c.openid)).messages.find((x) => x.delivery_id === d.id)!.calls[0]!.shown, call!.shown);
    t.is((await c.call(`/mp/letters/${letterId}/satisfaction`, { score: 2 })).status, 200);
    t.like((await answerAtCaseStore(letterId)).data, { score: 2, channel: 'wechat-mp' });
  },
);

test.serial(
  'when a mini-program citizen gave no consent for the survey, then nothing is sent to WeChat, the survey stays in the app and the rating there reaches the case store',
  async (t) => {
    const c = await mpCitizen('simsurveynoconsent');
    const letterId = await submit('wechat-mp', { channelUserId: c.openid, anonymous: false });
    const d = await surveyed(letterId);
    t.deepEqual((await attempts(d.id))[0], { route: 'subscribe', outcome: 'fallback', error_code: 'no_consent' });
    t.deepEqual(await rawCalls(d.id), []);
    t.is((await c.call(`/mp/letters/${letterId}/satisfaction`, { score: 1 })).status, 200);
    t.like((await answerAtCaseStore(letterId)).data, { score: 1, channel: 'wechat-mp' });
  },
);

test.serial(
  'when an SMS citizen is surveyed, then SendSms carried the survey template and its variables, the outbox shows the SMS as read, and the answer by uplink reaches the case store',
  async (t) => {
    const phone = '+8613900000021';
    const letterId = await submit('sms', { channelUserId: phone, phone, anonymous: false });
    const d = await surveyed(letterId);
    t.deepEqual([d.route, d.status], ['sms', 'sent'], d.last_error ?? '');
    const [call] = await rawCalls(d.id);
    t.like(call, { action: 'SendSms', code: 'OK' });
    const rendered = d.rendered as { templateCode: string; params: Record<string, string> };
    t.like(call!.request, { PhoneNumbers: '13900000021', TemplateCode: rendered.templateCode, OutId: d.id });
    t.deepEqual(JSON.parse(String(call!.request.TemplateParam)), rendered.params);
    t.true(call!.shown!.startsWith(`【${String(call!.request.SignName)}】`));
    const m = (await outbox(phone)).messages.find((x) => x.delivery_id === d.id)!;
    t.is(m.payload.templateKey, 'survey');
    t.is(m.calls[0]!.shown, call!.shown);
    t.is((await smsUplink('13900000021', '2', 910001)).status, 200);
    t.like((await answerAtCaseStore(letterId)).data, { score: 2, channel: 'sms' });
  },
);

test.serial(
  "when a web mailbox citizen is surveyed, then the SMS goes through the simulator's SendSms with the letter link in its wording, and the answer on the letter page reaches the case store",
  async (t) => {
    const citizen = new Citizen(gw);
    const phone = newPhone();
    const letterId = await writeLetter(citizen, phone);
    const d = await surveyed(letterId);
    t.deepEqual([d.channel, d.route, d.status], ['web', 'sms', 'sent'], d.last_error ?? '');
    const [call] = await rawCalls(d.id);
    t.like(call, { action: 'SendSms', code: 'OK' });
    const content = await surveyText('web', 'sms');
    t.like(call!.request, { PhoneNumbers: phone, TemplateCode: content.templateCode, OutId: d.id });
    t.like(JSON.parse(String(call!.request.TemplateParam)), { id: letterId });
    t.true(call!.shown!.includes(`/web/letters/${letterId}`), call!.shown ?? '');
    const m = (await outbox(`+86${phone}`)).messages.find((x) => x.delivery_id === d.id)!;
    t.is(m.payload.templateKey, 'survey');
    t.is(m.calls[0]!.shown, call!.shown);
    t.is((await citizen.post(`/web/letters/${letterId}/survey`, { score: '1' })).status, 303);
    t.like((await answerAtCaseStore(letterId)).data, { score: 1, channel: 'web' });
  },
);
