import test from 'ava';
import { appTest, letterInApp, openPage, settle, tap, text, type, type RenderedPage } from './_simulate.js';
import { eventually, serialOf } from '../_support/gateway.js';
import { classificationFor } from '../../gateway/classification/service.js';
import type { Letter } from '../../shared/letter.js';

const app = appTest(test, () => 'picker');

const draft = {
  clientKey: 'key-pickers-0001',
  kind: 'complaint',
  mailbox: { id: 'city-mayor', name: '市长信箱' },
  title: '路灯不亮',
  body: '小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
  visibility: 'private',
};

async function pick(page: RenderedPage, selector: string, event: string, detail: unknown) {
  const el = page.querySelector(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent(event, { detail });
  await settle();
}

async function submitted(page: RenderedPage): Promise<Letter> {
  await tap(page, '.submit');
  const redirect = app.rec.navigations.find((n) => n.startsWith('redirect:/pages/submitted/index'));
  if (!redirect) throw new Error(`not submitted: ${text(page, '.message')}`);
  const id = new URLSearchParams(redirect.split('?')[1]).get('id')!;
  const row = await app.gw.services.db
    .selectFrom('letters')
    .select('body')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.body;
}

test.serial(
  'when the citizen picks a topic and a district’s street, then the page shows them and the letter carries both',
  async (t) => {
    app.rec.storage.set('mp.draft', { ...draft, clientKey: `${draft.clientKey}-a` });
    const page = await openPage('pages/write');
    const names = page.data.topicNames as string[];
    const columns = page.data.regionColumns as string[][];
    const wuhou = columns[0]!.indexOf('武侯区');
    t.true(names.includes('城市管理'));
    t.true(wuhou >= 0);

    await pick(page, '.topic-picker', 'change', { value: names.indexOf('城市管理') });
    await pick(page, '.region-picker', 'columnchange', { column: 0, value: wuhou });
    const streets = (page.data.regionColumns as string[][])[1]!;
    t.is(streets[0], '全区（市）县');
    await pick(page, '.region-picker', 'change', { value: [wuhou, streets.indexOf('玉林街道')] });
    t.is(text(page, '.topic'), '城市管理');
    t.is(text(page, '.region'), '武侯区玉林街道');
    // The choice is in the saved draft: it survives the app being closed.
    t.is((app.rec.storage.get('mp.draft') as { region: { name: string } }).region.name, '武侯区玉林街道');

    const letter = await submitted(page);
    t.deepEqual(letter.topic, { code: 'city-management', name: '城市管理' });
    t.is(letter.region?.name, '武侯区玉林街道');
    t.regex(letter.region?.code ?? '', /^510107\d{3}$/);
  },
);

test.serial(
  'when the citizen picks a whole district and then clears the topic, then only the district is sent',
  async (t) => {
    app.rec.storage.set('mp.draft', { ...draft, clientKey: `${draft.clientKey}-b` });
    const page = await openPage('pages/write');
    const wuhou = (page.data.regionColumns as string[][])[0]!.indexOf('武侯区');
    await pick(page, '.topic-picker', 'change', { value: 0 });
    await pick(page, '.region-picker', 'columnchange', { column: 0, value: wuhou });
    await pick(page, '.region-picker', 'change', { value: [wuhou, 0] });
    await tap(page, '.clear-topic');
    t.falsy(page.querySelector('.clear-topic'));
    const letter = await submitted(page);
    t.is(letter.topic, undefined);
    t.deepEqual(letter.region, { code: '510107', name: '武侯区' });
  },
);

test.serial(
  'when the pickers cannot load (offline, nothing kept), then the page says so and the pickers stay off; once loaded, offline reuses the kept copy',
  async (t) => {
    app.script.offline = true;
    const off = await openPage('pages/write');
    t.regex(text(off, '.choices-error'), /可以不选/);
    t.deepEqual(off.data.topicNames, []);

    app.script.offline = false;
    await openPage('pages/write');
    app.script.offline = true;
    const again = await openPage('pages/write');
    t.is(text(again, '.choices-error'), '');
    t.true((again.data.topicNames as string[]).length > 0);
  },
);

test.serial(
  'when staff retired the chosen topic meanwhile, then the topic field says to choose again and the next visit loads the new list',
  async (t) => {
    app.rec.storage.set('mp.draft', { ...draft, clientKey: `${draft.clientKey}-c` });
    const page = await openPage('pages/write');
    await pick(page, '.topic-picker', 'change', { value: (page.data.topicNames as string[]).indexOf('城市管理') });
    await classificationFor(app.gw.services.db, app.gw.services.config).taxonomy.replace(
      [{ code: 'housing', name: '城乡住房', keywords: ['物业'] }],
      'test',
    );
    await tap(page, '.submit');
    t.regex(text(page, '.error-topic'), /问题分类/);
    t.false(app.rec.storage.has('mp.choices'));
    const next = await eventually(async () => {
      const p = await openPage('pages/write');
      return (p.data.topicNames as string[]).includes('城乡住房') ? p : undefined;
    });
    t.deepEqual(next.data.topicNames, ['城乡住房']);
  },
);

test.serial(
  'when the citizen picks a street’s mailbox, then its district fills the region as a default; a city-wide mailbox takes it back',
  async (t) => {
    app.rec.storage.set('mp.draft', { ...draft, mailbox: null, clientKey: `${draft.clientKey}-d` });
    await openPage('pages/write'); // loads and keeps the pickers' lists
    const picker = await openPage('pages/mailboxes');
    await type(picker, '.search', '玉林');
    await eventually(async () => (picker.querySelectorAll('.result').length === 1 ? true : undefined), 10_000);
    await tap(picker, '.result');
    const write = await openPage('pages/write');
    t.is(text(write, '.mailbox'), '玉林街道信箱');
    t.is(text(write, '.region'), '武侯区');
    t.regex(text(write, '.region-from'), /所选信箱/);

    const again = await openPage('pages/mailboxes');
    await tap(again, '.city');
    const back = await openPage('pages/write');
    t.is(text(back, '.region'), '请选择区（市）县和乡镇（街道）');
    t.is(text(back, '.region-from'), '');
  },
);

test.serial(
  'when the location’s address names a district and street, then they replace the mailbox’s default and the letter carries them; the citizen’s own pick is never replaced',
  async (t) => {
    app.rec.storage.set('mp.draft', {
      ...draft,
      clientKey: `${draft.clientKey}-e`,
      region: { code: '510107', name: '武侯区' },
      regionFrom: 'mailbox',
    });
    app.script.location = {
      latitude: 30.65,
      longitude: 104.08,
      name: '春熙路',
      address: '四川省成都市锦江区春熙路街道',
    };
    const page = await openPage('pages/write');
    await tap(page, '.location');
    t.regex(text(page, '.region'), /^锦江区春熙路街道$/);
    t.regex(text(page, '.region-from'), /所选位置/);
    const letter = await submitted(page);
    t.is(letter.region?.name, '锦江区春熙路街道');
    t.regex(letter.region?.code ?? '', /^510104\d{3}$/);

    app.rec.storage.set('mp.draft', { ...draft, clientKey: `${draft.clientKey}-f` });
    const own = await openPage('pages/write');
    const columns = own.data.regionColumns as string[][];
    const wuhou = columns[0]!.indexOf('武侯区');
    await pick(own, '.region-picker', 'change', { value: [wuhou, 0] });
    await tap(own, '.location');
    t.is(text(own, '.region'), '武侯区');
    t.is(text(own, '.region-from'), '');
  },
);

test.serial(
  'when the letter has a topic and region and the case store reports department and deadline, then the letter page shows all four',
  async (t) => {
    const id = await letterInApp(app, {
      ...draft,
      clientKey: `${draft.clientKey}-g`,
      // The taxonomy an earlier test left: 城乡住房 only.
      topic: { code: 'housing', name: '城乡住房' },
      region: { code: '510107005', name: '武侯区玉林街道' },
    });
    const before = await openPage('pages/letter-detail', { id });
    t.is(text(before, '.fact-topic'), '问题分类：城乡住房');
    t.is(text(before, '.fact-region'), '发生地：武侯区玉林街道');
    t.falsy(before.querySelector('.fact-department'), 'nothing reported yet');

    await serialOf(app.gw.services.db, id);
    const res = await app.gw.api(`/api/v1/letters/${id}/status`, {
      method: 'POST',
      json: { status: 'in_progress', department: '武侯区综合执法局', deadline: '2026-12-15T10:00:00+08:00' },
    });
    t.is(res.status, 200);
    const after = await openPage('pages/letter-detail', { id });
    t.is(text(after, '.fact-department'), '承办单位：武侯区综合执法局');
    t.is(text(after, '.fact-deadline'), '办理时限：2026年12月15日 10:00');
  },
);
