import test from 'ava';
import { randomBytes } from 'node:crypto';
import { appTest, openPage, tap, text, type, type RenderedPage } from './_simulate.js';
import { sampleIntake } from '../_support/letters.js';
import { serialOf } from '../_support/gateway.js';

const app = appTest(test, () => 'reader');

/** A letter written in the app by the current citizen, accepted by the case store. */
async function letterInApp(): Promise<{ id: string; serial: string; code: string }> {
  app.rec.storage.set('mp.draft', {
    clientKey: `key-${randomBytes(6).toString('hex')}`,
    kind: 'consultation',
    mailbox: { id: 'city-12345', name: '市民服务热线12345' },
    title: '公交线路咨询',
    body: '请问从玉林小区到市第三人民医院有没有直达的公交线路？',
    visibility: 'public',
  });
  const write = await openPage('pages/write');
  await tap(write, '.submit');
  const redirect = app.rec.navigations.find((n) => n.startsWith('redirect:/pages/submitted/index'));
  if (!redirect) throw new Error(`not submitted: ${text(write, '.message')}`);
  const q = Object.fromEntries(new URLSearchParams(redirect.split('?')[1]));
  const serial = await serialOf(app.gw.services.db, q.id!);
  return { id: q.id!, serial, code: q.code! };
}

/** The entries rendered inside the page's timeline component (read from the DOM: they live in its shadow tree). */
const timelineEntries = (page: RenderedPage) =>
  Array.from(page.dom.querySelectorAll('.timeline--entry')).map((dom) => ({ dom }));

test.serial(
  'when the home page buttons are tapped, then they open write, my letters and the progress query',
  async (t) => {
    const home = await openPage('pages/index');
    await tap(home, '.write');
    await tap(home, '.letters');
    await tap(home, '.query');
    t.deepEqual(app.rec.navigations, ['/pages/write/index', '/pages/letters/index', '/pages/query/index']);
  },
);

test.serial(
  'when a letter has replies, then my letters shows its status and the detail page shows the timeline with the reply texts',
  async (t) => {
    const l = await letterInApp();
    for (const reply of ['已转交市公交集团核实。', '经核实，可乘坐公交55路直达，首班6:30。']) {
      t.is(
        (await app.gw.api(`/api/v1/letters/${l.id}/replies`, { method: 'POST', json: { text: reply } })).status,
        202,
      );
    }
    const list = await openPage('pages/letters');
    t.is(list.querySelectorAll('.letter').length, 1);
    t.is(text(list, '.status'), '已答复');
    t.is(text(list, '.serial'), `流水号 ${l.serial}`);
    await tap(list, '.letter');
    t.is(app.rec.navigations.at(-1), `/pages/letter-detail/index?id=${l.id}`);

    const detail = await openPage('pages/letter-detail', { id: l.id });
    t.is(text(detail, '.serial'), l.serial);
    t.is(text(detail, '.code'), l.code);
    const entries = timelineEntries(detail).map((e) => e.dom.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    t.is(entries.length, 4);
    t.regex(entries[0]!, /^来信已收到\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    t.regex(entries[1]!, new RegExp(`^已受理.*受理流水号：${l.serial}$`));
    t.regex(entries[2]!, /^答复.*已转交市公交集团核实。$/);
    t.regex(entries[3]!, /^答复.*可乘坐公交55路直达，首班6:30。$/);
  },
);

test.serial("when a citizen opens another citizen's letter, then the page says it was not found", async (t) => {
  const l = await letterInApp();
  app.rec.storage.clear();
  app.script.user = `someone-else-${randomBytes(3).toString('hex')}`;
  const detail = await openPage('pages/letter-detail', { id: l.id });
  t.is(text(detail, '.error'), '没有找到这封信');
  t.is(timelineEntries(detail).length, 0);
});

test.serial(
  'when a progress query is made for an SMS letter, then a wrong code is refused plainly and the right one shows its progress',
  async (t) => {
    const sms = await app.gw.services.intake.submit(sampleIntake());
    const serial = await serialOf(app.gw.services.db, sms.letterId);
    const page = await openPage('pages/query');
    await type(page, '.serial', 'x');
    await type(page, '.code', '12');
    await tap(page, '.ask');
    t.is(text(page, '.error-code'), '提取码是6位数字');
    t.is(text(page, '.error-serial'), '请填写正确的受理流水号');

    await type(page, '.serial', serial.toLowerCase());
    await type(page, '.code', String((Number(sms.extractionCode) + 1) % 1_000_000).padStart(6, '0'));
    await tap(page, '.ask');
    t.is(text(page, '.message'), '流水号或提取码不正确，请核对后再查');

    await type(page, '.code', sms.extractionCode);
    await tap(page, '.ask');
    t.is(text(page, '.message'), '');
    t.is(text(page, '.result .status'), '已受理');
    t.is(timelineEntries(page).length, 2);
  },
);

test.serial(
  'when the survey is open, then the citizen rates the letter from its page and the answer is recorded',
  async (t) => {
    const l = await letterInApp();
    t.true((await app.gw.api(`/api/v1/letters/${l.id}/surveys`, { method: 'POST', json: {} })).ok);
    const detail = await openPage('pages/letter-detail', { id: l.id });
    await tap(detail, '.rate');
    t.is(app.rec.navigations.at(-1), `/pages/satisfaction/index?id=${l.id}`);

    const page = await openPage('pages/satisfaction', { id: l.id });
    await tap(page, '.send');
    t.is(text(page, '.error-score'), '请选择满意程度');
    await tap(page, '.score-3');
    await tap(page, '.reopen');
    await type(page, '.reason', '路灯修了又坏了');
    await tap(page, '.send');
    t.is(text(page, '.thanks .label'), '感谢您的评价！');
    const survey = await app.gw.services.db
      .selectFrom('surveys')
      .select(['state', 'score', 'reason', 'reopen', 'answer_channel'])
      .where('letter_id', '=', l.id)
      .executeTakeFirstOrThrow();
    t.deepEqual(survey, {
      state: 'answered',
      score: 3,
      reason: '路灯修了又坏了',
      reopen: true,
      answer_channel: 'wechat-mp',
    });
    const again = await openPage('pages/letter-detail', { id: l.id });
    t.is(text(again, '.rated'), '您已评价：不满意');
  },
);
