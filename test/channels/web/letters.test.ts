import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { Citizen, newPhone, verify, writeLetter } from './_web.js';
import { postSmsUplink } from '../../_support/sms-uplink.js';

const SMS_PUSH_TOKEN = 'web-letters-push-token-0123456789';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SURVEY_DELAY_SECONDS: '0', SMS_PUSH_TOKEN });
});
test.after.always(async () => {
  await gw?.stop();
});

const db = () => gw.services.db;

async function smsTo(phone: string, templateKey: string) {
  return eventually(
    async () => {
      const rows = await db()
        .selectFrom('sandbox_messages')
        .selectAll()
        .where('recipient', '=', `+86${phone}`)
        .orderBy('id')
        .execute();
      const hit = rows.find((r) => (r.payload as { templateKey: string }).templateKey === templateKey);
      return hit
        ? (hit.payload as { rendered: { templateCode: string; params: Record<string, string>; text: string } }).rendered
        : undefined;
    },
    30_000,
    `${templateKey} SMS`,
  );
}

test('when another citizen or nobody opens a letter page, then the letter is not shown', async (t) => {
  const owner = new Citizen(gw);
  const id = await writeLetter(owner, newPhone(), { body: '仅本人可见的内容甲乙丙' });
  t.regex((await owner.get(`/web/letters/${id}`)).html, /仅本人可见的内容甲乙丙/);

  const anonymous = new Citizen(gw);
  const asked = await anonymous.get(`/web/letters/${id}`);
  t.is(asked.status, 200);
  t.regex(asked.html, /请使用写信时验证的手机号登录后查看/);
  t.notRegex(asked.html, /仅本人可见的内容甲乙丙/);

  const other = new Citizen(gw);
  await verify(other, newPhone());
  const theirs = await other.get(`/web/letters/${id}`);
  const missing = await other.get('/web/letters/01900000-0000-7000-8000-000000000000');
  t.is(theirs.status, 404);
  t.is(missing.status, 404);
  t.is(theirs.html, missing.html, "someone else's letter looks like no letter");
  const survey = await other.post(`/web/letters/${id}/survey`, { score: '3' });
  t.is(survey.status, 404);
  const list = await other.get('/web/letters');
  t.notRegex(list.html, new RegExp(id));
});

test('when the letter is accepted, replied to and surveyed, then the SMS carry the letter link and the survey is answered on its page', async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  const id = await writeLetter(citizen, phone);
  const link = `${gw.services.publicBaseUrl()}/web/letters/\${id}`;

  const receipt = await smsTo(phone, 'receipt');
  const letter = await db()
    .selectFrom('letters')
    .select(['serial', 'extraction_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  t.is(receipt.templateCode, 'SMS_486215101');
  t.like(receipt.params, { serial: letter.serial!, code: letter.extraction_code, id });
  t.true(receipt.text.includes(link), 'the link to the letter page is fixed text of the template');
  const receiptDelivery = await eventually(
    async () => {
      const d = await db()
        .selectFrom('deliveries')
        .select(['channel', 'route', 'status'])
        .where('letter_id', '=', id)
        .where('kind', '=', 'receipt')
        .executeTakeFirst();
      return d?.status === 'sent' ? d : undefined;
    },
    30_000,
    'receipt sent',
  );
  t.like(receiptDelivery, { channel: 'web', route: 'sms', status: 'sent' });

  const replied = await gw.api(`/api/v1/letters/${id}/replies`, {
    method: 'POST',
    json: { text: '经核查，路灯已于今日修复。感谢您的反映。', final: true },
  });
  t.is(replied.status, 202);
  const reply = await smsTo(phone, 'reply');
  t.is(reply.params.id, id);
  t.true(reply.text.includes(link));
  const survey = await smsTo(phone, 'survey');
  t.is(survey.params.id, id);
  t.true(survey.text.includes(link));

  const page = await citizen.get(`/web/letters/${id}`);
  t.regex(page.html, /经核查，路灯已于今日修复。感谢您的反映。/);
  t.regex(page.html, /您对这封信的办理结果是否满意？/);
  const bad = await citizen.post(`/web/letters/${id}/survey`, { score: '9' });
  t.is(bad.status, 422);
  t.regex(bad.html, /id="score-error">请选择评价/);
  const answered = await citizen.post(`/web/letters/${id}/survey`, { score: '1', reason: '处理很及时' });
  t.is(answered.status, 303);
  const row = await db().selectFrom('surveys').selectAll().where('letter_id', '=', id).executeTakeFirstOrThrow();
  t.like(row, { state: 'answered', score: 1, reason: '处理很及时', answer_channel: 'web' });
  const event = await db()
    .selectFrom('case_events')
    .select(['type', 'payload'])
    .where('letter_id', '=', id)
    .where('type', '=', 'survey.answered')
    .executeTakeFirst();
  t.like((event?.payload as { data?: unknown } | undefined)?.data, { score: 1, channel: 'web', reason: '处理很及时' });
  const after = await citizen.get(answered.location!);
  t.regex(after.html, /评价已提交，感谢您的反馈！/);
  t.regex(after.html, /您已评价：满意/);
});

test("when a web letter's survey reached the citizen by SMS, then their SMS answer from that phone is recorded for it", async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  const id = await writeLetter(citizen, phone);
  const replied = await gw.api(`/api/v1/letters/${id}/replies`, {
    method: 'POST',
    json: { text: '已安排人员现场处理。', final: true },
  });
  t.is(replied.status, 202);
  await smsTo(phone, 'survey');
  t.is((await postSmsUplink(gw.url, SMS_PUSH_TOKEN, phone, '2 处理还算及时')).status, 200);
  const row = await eventually(
    async () => {
      const s = await db().selectFrom('surveys').selectAll().where('letter_id', '=', id).executeTakeFirstOrThrow();
      return s.state === 'answered' ? s : undefined;
    },
    30_000,
    'the survey answered',
  );
  t.like(row, { score: 2, reason: '处理还算及时', answer_channel: 'sms', channel: 'web' });
  const event = await db()
    .selectFrom('case_events')
    .select('payload')
    .where('letter_id', '=', id)
    .where('type', '=', 'survey.answered')
    .executeTakeFirstOrThrow();
  t.like((event.payload as { data?: unknown }).data, { score: 2, channel: 'sms' });
});

test('when the case store withdraws the survey while its form is open, then the answer is not taken and the page says the survey has ended', async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  const id = await writeLetter(citizen, phone);
  const replied = await gw.api(`/api/v1/letters/${id}/replies`, {
    method: 'POST',
    json: { text: '已处理。', final: true },
  });
  t.is(replied.status, 202);
  t.regex((await citizen.get(`/web/letters/${id}`)).html, /您对这封信的办理结果是否满意？/);
  const withdrawn = await gw.api(`/api/v1/letters/${id}/survey/withdraw`, { method: 'POST' });
  t.is(withdrawn.status, 200);
  const answered = await citizen.post(`/web/letters/${id}/survey`, { score: '1' });
  t.is(answered.status, 303);
  const after = await citizen.get(answered.location!);
  t.notRegex(after.html, /评价已提交/);
  t.regex(after.html, /评价已结束。/);
  t.like(await db().selectFrom('surveys').selectAll().where('letter_id', '=', id).executeTakeFirstOrThrow(), {
    state: 'withdrawn',
    score: null,
  });
});
