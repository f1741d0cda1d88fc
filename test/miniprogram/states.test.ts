import test from 'ava';
import { appTest, letterInApp, openPage, settle, tap, text, type } from './_simulate.js';
import { eventually, serialOf } from '../_support/gateway.js';

const app = appTest(test, () => 'states');

async function letterWritten(): Promise<{ id: string }> {
  const id = await letterInApp(app);
  await serialOf(app.gw.services.db, id);
  return { id };
}

/** Requests to /mp/mailboxes after the directory itself (the fake records paths without their query). */
const searches = () => app.rec.requests.filter((r) => r === 'GET /mp/mailboxes').length - 1;

test.serial(
  'when the citizen comes back to the letter after rating it, then the page is fresh and offers no second rating',
  async (t) => {
    const l = await letterWritten();
    t.true((await app.gw.api(`/api/v1/letters/${l.id}/surveys`, { method: 'POST', json: {} })).ok);
    const detail = await openPage('pages/letter-detail', { id: l.id });
    t.truthy(detail.querySelector('.rate'));
    const survey = await openPage('pages/satisfaction', { id: l.id });
    await tap(survey, '.score-1');
    await tap(survey, '.send');
    t.is(text(survey, '.thanks .label'), '感谢您的评价！');
    // navigateBack: the letter page shows again.
    await detail.instance.onShow!();
    await settle();
    t.falsy(detail.querySelector('.rate'));
    t.is(text(detail, '.rated'), '您已评价：满意');
  },
);

test.serial('when the survey has expired, then no rating form shows and the page says why', async (t) => {
  const l = await letterWritten();
  t.true((await app.gw.api(`/api/v1/letters/${l.id}/surveys`, { method: 'POST', json: {} })).ok);
  await app.gw.services.db.updateTable('surveys').set({ state: 'expired' }).where('letter_id', '=', l.id).execute();
  const page = await openPage('pages/satisfaction', { id: l.id });
  t.falsy(page.querySelector('.send'));
  t.regex(text(page, '.message'), /评价时间已过.*12345/);
  const detail = await openPage('pages/letter-detail', { id: l.id });
  t.falsy(detail.querySelector('.rate'));
  t.is(text(detail, '.survey-expired'), '评价时间已过');
});

test.serial(
  'when the survey expires while the form is open, then sending says so in Chinese and the form goes away',
  async (t) => {
    const l = await letterWritten();
    t.true((await app.gw.api(`/api/v1/letters/${l.id}/surveys`, { method: 'POST', json: {} })).ok);
    const page = await openPage('pages/satisfaction', { id: l.id });
    await tap(page, '.score-2');
    await app.gw.services.db.updateTable('surveys').set({ state: 'expired' }).where('letter_id', '=', l.id).execute();
    await tap(page, '.send');
    t.is(text(page, '.message'), '评价已过期');
    t.falsy(page.querySelector('.send'));
  },
);

test.serial('when no survey was started, then the rating page explains instead of showing a form', async (t) => {
  const l = await letterWritten();
  const page = await openPage('pages/satisfaction', { id: l.id });
  t.falsy(page.querySelector('.send'));
  t.regex(text(page, '.message'), /还没有到评价的时候/);
});

test.serial('when the citizen types a search quickly, then one search is sent for the last text', async (t) => {
  const picker = await openPage('pages/mailboxes');
  await type(picker, '.search', '玉');
  await type(picker, '.search', '玉林');
  await eventually(async () => (picker.querySelectorAll('.result').length === 1 ? true : undefined), 10_000);
  await settle();
  t.is(searches(), 1);
  t.regex(text(picker, '.result'), /玉林街道信箱/);
});

test.serial(
  'when the input method is composing pinyin, then nothing is searched until the characters are chosen',
  async (t) => {
    const picker = await openPage('pages/mailboxes');
    picker.querySelector('.search')!.dispatchEvent('keyboardcompositionstart');
    await type(picker, '.search', 'yu');
    await type(picker, '.search', 'yulin');
    await new Promise((r) => setTimeout(r, 600));
    await settle();
    t.is(searches(), 0);
    picker.querySelector('.search')!.dispatchEvent('keyboardcompositionend', { detail: { value: '玉林' } });
    await eventually(async () => (picker.querySelectorAll('.result').length === 1 ? true : undefined), 10_000);
    t.is(searches(), 1);
  },
);

test.serial(
  'when the phone is offline, then my letters shows a Chinese error with a retry that works once back online',
  async (t) => {
    await letterWritten();
    app.script.offline = true;
    const list = await openPage('pages/letters');
    t.regex(text(list, '.error'), /^网络不通，请检查网络后再试/);
    t.is(list.querySelectorAll('.letter').length, 0);
    t.falsy(list.querySelector('.empty'), 'an error is not an empty list');
    app.script.offline = false;
    await tap(list, '.retry');
    t.is(list.querySelectorAll('.letter').length, 1);
    t.falsy(list.querySelector('.error'));
  },
);

test.serial('when the citizen has no letters, then the empty list offers to write one', async (t) => {
  const list = await openPage('pages/letters');
  t.regex(text(list, '.empty'), /还没有来信/);
  await tap(list, '.empty .write');
  t.is(app.rec.navigations.at(-1), '/pages/write/index');
});

test.serial('when the letter cannot be loaded, then its page offers a retry', async (t) => {
  const l = await letterWritten();
  app.script.offline = true;
  const detail = await openPage('pages/letter-detail', { id: l.id });
  t.regex(text(detail, '.error'), /网络不通/);
  app.script.offline = false;
  await tap(detail, '.retry');
  t.is(text(detail, '.title'), '公交线路咨询');
});
