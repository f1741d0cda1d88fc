// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { phoneToken } from '../../_support/pii.js';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { Citizen, letterForm, newPhone, verify, writeLetter, PNG, MAILBOX } from './_web.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

const letterRow = (id: string) =>
  gw.services.db.selectFrom('letters').selectAll().where('id', '=', id).executeTakeFirst();

test('when a citizen writes, verifies the phone and submits, then one web letter with the verified phone is stored and forwarded', async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  const id = await writeLetter(citizen, phone, { body: '路灯\u0007不亮，请尽快维修。', visibility: 'public' });
  const row = await letterRow(id);
  t.is(row?.channel, 'web');
  // Stored as the phone's token (gateway/privacy/pii-ids.ts).
  t.is(row?.citizen_id, await phoneToken(gw, `+86${phone}`));
  t.is(
    row?.body.body,
    '路灯不亮，请尽快维修。\n\n地点：武侯区人民南路四段',
    'control characters are cleaned; the address is kept in the body',
  );
  t.is(row?.body.mailbox.id, MAILBOX);
  t.is(row?.body.kind, 'complaint');
  t.is(row?.body.visibility, 'public');
  t.true(row?.body.citizen.phoneVerified);
  t.truthy(row?.body.region);
  const accepted = await eventually(
    async () => ((await letterRow(id))?.serial ? letterRow(id) : undefined),
    30_000,
    'serial',
  );
  const page = await citizen.get(`/web/letters/${id}?submitted=1`);
  t.is(page.status, 200);
  t.true(page.html.includes(accepted.serial!));
  t.true(page.html.includes(accepted.extraction_code));
});

test('when the same draft is submitted twice, then the second submit leads to the first letter', async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  await verify(citizen, phone);
  await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  const draft = await citizen.post('/web/drafts', letterForm());
  await citizen.get(draft.location!);
  const [a, b] = await Promise.all([
    citizen.post(`${draft.location}/submit`, {}),
    citizen.post(`${draft.location}/submit`, {}),
  ]);
  t.is(a.location, b.location);
  const rows = await gw.services.db
    .selectFrom('letters')
    .select('id')
    .where('citizen_id', '=', await phoneToken(gw, `+86${phone}`))
    .execute();
  t.is(rows.length, 1);
});

test('when a letter has photos and coordinates, then they become image attachments and the location', async (t) => {
  const citizen = new Citizen(gw);
  const phone = newPhone();
  await verify(citizen, phone);
  await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  const draft = await citizen.post(
    '/web/drafts',
    letterForm({ latitude: '30.64', longitude: '104.04' }, [
      { name: 'a.png', type: 'image/png', data: PNG },
      { name: 'b.png', type: 'image/png', data: PNG },
    ]),
  );
  t.is(draft.status, 303);
  await citizen.get(draft.location!);
  const submitted = await citizen.post(`${draft.location}/submit`, {});
  const id = /letters\/([0-9a-f-]{36})/.exec(submitted.location!)![1]!;
  const row = await letterRow(id);
  t.is(row?.body.attachments.length, 2);
  t.like(row?.body.attachments[0], { kind: 'image', contentType: 'image/png' });
  t.like(row?.body.location, { latitude: 30.64, longitude: 104.04, address: '武侯区人民南路四段' });
});

test('when the form has problems, then the form comes back with each message tied to its field and nothing is stored', async (t) => {
  const citizen = new Citizen(gw);
  await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  const tooMany = Array.from({ length: 10 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', data: PNG }));
  const r = await citizen.post('/web/drafts', letterForm({ body: '', kind: 'bribe', visibility: '' }, tooMany));
  t.is(r.status, 422);
  t.regex(r.html, /id="body"[^>]*aria-describedby="body-hint body-error"[^>]*aria-invalid="true"/);
  t.regex(r.html, /<p class="error" id="body-error">请填写来信内容<\/p>/);
  t.regex(r.html, /id="kind-error">请选择来信类型/);
  t.regex(r.html, /id="photos-error">照片最多9张/);
  t.regex(r.html, /role="alert"/);
  const text = await citizen.post(
    '/web/drafts',
    letterForm({}, [{ name: 'x.txt', type: 'image/png', data: Buffer.from('not an image') }]),
  );
  t.is(text.status, 422);
  t.regex(text.html, /不是支持的图片格式/);
});

test('when a POST has no or a wrong CSRF token, then it is refused with a Chinese page', async (t) => {
  const citizen = new Citizen(gw);
  await citizen.get('/web/');
  const none = await citizen.post('/web/verify/send', { phone: newPhone(), next: '/web/' }, false);
  t.is(none.status, 403);
  t.regex(none.html, /页面已过期/);
  const other = new Citizen(gw);
  await other.get('/web/');
  const forged = await citizen.post('/web/verify/send', { phone: newPhone(), next: '/web/', _csrf: other.csrf }, false);
  t.is(forged.status, 403);
});

test('when odd input arrives, then every answer is a page, never a 500', async (t) => {
  const citizen = new Citizen(gw);
  await citizen.get('/web/');
  const answers = await Promise.all([
    citizen.get('/web/letters/not-a-uuid'),
    citizen.get('/web/drafts/00000000-0000-4000-8000-000000000000'),
    citizen.get('/web/write?mailbox=%00%ff'),
    citizen.get(`/web/?q=${'长'.repeat(500)}`),
    citizen.get('/web/static/..%2f..%2fpackage.json'),
    citizen.get('/web/oauth?code=x&next=https://evil.example'),
    fetch(`${gw.url}/web/drafts`, {
      method: 'POST',
      headers: {
        'content-type': 'multipart/form-data; boundary=zz',
        cookie: [...citizen.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: '--zz\r\nbroken',
    }),
    fetch(`${gw.url}/web/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    citizen.post('/web/drafts', letterForm({ mailbox: 'no-such-box' })),
    citizen.post('/web/verify', { phone: '12', code: 'abc', next: '//evil.example' }),
    citizen.post('/web/drafts/zz/submit', {}),
  ]);
  for (const a of answers) t.true(a.status < 500, `status ${a.status}`);
  const oauth = answers[5] as { location: string | null };
  t.is(oauth.location, '/web/');
});

test('when a mailbox is searched or the directory opened, then the hierarchy and the matches link to the form', async (t) => {
  const citizen = new Citizen(gw);
  const tree = await citizen.get('/web/');
  t.regex(tree.html, /<details><summary>锦江区信箱<\/summary>/);
  t.regex(tree.html, /href="\/web\/write\?mailbox=street-510104-01"/);
  const search = await citizen.get(`/web/?q=${encodeURIComponent('春熙路')}`);
  t.regex(search.html, /class="results"[\s\S]*春熙路街道信箱[\s\S]*锦江区信箱/);
  const none = await citizen.get(`/web/?q=${encodeURIComponent('不存在的信箱名')}`);
  t.regex(none.html, /没有找到名称中含“不存在的信箱名”的信箱/);
});

test('when the form opens, then the region starts at the mailbox’s district; a picked street reaches the letter as chosen, and a code outside the city is named as the problem', async (t) => {
  const citizen = new Citizen(gw);
  const form = await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  // A plain select (works without JavaScript): districts as groups, each with its whole-district entry and streets.
  t.regex(form.html, /<select id="region" name="region"[^>]*><option value="">不确定，按所选信箱归属<\/option>/);
  t.regex(form.html, /<optgroup label="锦江区"><option value="510104" selected>锦江区（不细分到乡镇、街道）<\/option>/);
  t.true(form.html.includes('<option value="510107005">玉林街道</option>'));

  const refused = await citizen.post('/web/drafts', letterForm({ region: '110101' }));
  t.is(refused.status, 422);
  t.true(refused.html.includes('请从列表中重新选择问题发生的区（市）县或乡镇（街道）'));
  t.regex(
    refused.html,
    /<select id="region" name="region" aria-describedby="region-hint region-error" aria-invalid="true">/,
  );

  const draft = await citizen.post('/web/drafts', letterForm({ region: '510107005' }));
  t.is(draft.status, 303);
  await verify(citizen, newPhone(), draft.location!);
  t.regex((await citizen.get(draft.location!)).html, /<dt>发生地<\/dt><dd>武侯区玉林街道<\/dd>/);

  const id = await writeLetter(citizen, newPhone(), { region: '510107005' });
  t.deepEqual((await letterRow(id))?.body.region, { code: '510107005', name: '武侯区玉林街道' });
  const row = await eventually(
    async () => ((await letterRow(id))?.classification_evidence ? letterRow(id) : undefined),
    30_000,
    'classification',
  );
  t.is(row?.region_code, '510107005');
  t.false(row?.region_inferred, 'a citizen’s choice is not an inference');

  // Left at “不确定”: the mailbox's region, as before.
  const unsure = await writeLetter(citizen, newPhone(), { region: '' });
  t.is((await letterRow(unsure))?.body.region?.code, '510104');
});

test('when a citizen picks a topic, then the letter carries it as chosen; a topic not in the taxonomy is named as the problem', async (t) => {
  const citizen = new Citizen(gw);
  const form = await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  t.regex(form.html, /<select id="topic" name="topic"[^>]*><option value="" selected>不确定，由工作人员归类<\/option>/);
  t.true(form.html.includes('<option value="city-management">'), 'the current taxonomy is offered');

  const refused = await citizen.post('/web/drafts', letterForm({ topic: 'no-such-topic' }));
  t.is(refused.status, 422);
  t.true(refused.html.includes('这个问题类别已停用，请重新选择'));
  t.regex(
    refused.html,
    /<select id="topic" name="topic" aria-describedby="topic-hint topic-error" aria-invalid="true">/,
  );

  const id = await writeLetter(citizen, newPhone(), { topic: 'city-management' });
  t.is((await letterRow(id))?.body.topic?.code, 'city-management');
  // The classifier files it after storing, taking the citizen's choice as it is.
  const row = await eventually(
    async () => ((await letterRow(id))?.classification_evidence ? letterRow(id) : undefined),
    30_000,
    'classification',
  );
  t.is(row?.topic, 'city-management');
  t.false(row?.topic_inferred, 'a citizen’s choice is not an inference');
});
