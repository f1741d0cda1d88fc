import test from 'ava';
import { appTest, openPage, tap, text, type } from './_simulate.js';
import { eventually } from '../_support/gateway.js';

const app = appTest(test, () => 'boxes');

test.serial(
  'when the picker opens, then leaders, city departments and districts are listed apart, and a department can be chosen',
  async (t) => {
    const picker = await openPage('pages/mailboxes');
    t.is(picker.querySelectorAll('.city').length, 3);
    t.true(picker.querySelectorAll('.department').length >= 5);
    t.regex(text(picker, '.departments .label'), /市级部门/);
    const edu = picker.querySelectorAll('.department').find((d) => d.dom.textContent?.includes('市教育局信箱'));
    t.truthy(edu);
    edu!.dispatchEvent('tap');
    await eventually(async () => (app.rec.navigations.includes('back') ? true : undefined), 10_000);
    t.deepEqual((app.rec.storage.get('mp.draft') as { mailbox: unknown }).mailbox, {
      id: 'dept-education',
      name: '市教育局信箱',
    });
  },
);

test.serial('when the citizen searches, then the matches are shown under their level’s heading', async (t) => {
  const picker = await openPage('pages/mailboxes');
  await type(picker, '.search', '市');
  await eventually(async () => (picker.querySelectorAll('.result-group').length >= 2 ? true : undefined), 10_000);
  const labels = picker.querySelectorAll('.group-label').map((l) => l.dom.textContent?.trim());
  t.true(labels.includes('市级部门'));
  t.true(labels.includes('区（市）县'));
  t.true(labels.indexOf('市级部门') < labels.indexOf('区（市）县'));
  t.regex(text(picker, '.group-city-department .result'), /信箱/);
  await tap(picker, '.group-city-department .result');
  t.is(app.rec.navigations.at(-1), 'back');
});
