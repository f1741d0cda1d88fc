import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appTest, openPage, settle, tap, text, type } from './_simulate.js';
import { eventually } from '../_support/gateway.js';
import type { Letter } from '../../shared/letter.js';

const photoDir = mkdtempSync(join(tmpdir(), 'mp-photos-'));
const photo = (name: string) => {
  const path = join(photoDir, name);
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]));
  return path;
};

const app = appTest(test, (title) => `citizen-${title.length}`);

const body = '玉林路小区门口的路灯坏了一个月，晚上很黑，老人出门不方便，请尽快修理。';

async function fillLetter(page: Awaited<ReturnType<typeof openPage>>) {
  await tap(page, '.kind-complaint');
  await type(page, '.title', '玉林路路灯不亮');
  await type(page, '.body', body);
  await tap(page, '.visibility-private');
}

test.serial(
  'when the citizen submits an empty letter, then each missing field says what to do and nothing is sent',
  async (t) => {
    const page = await openPage('pages/write');
    await type(page, '.body', '太短');
    t.is(text(page, '.counter'), '2/5000字');
    const before = app.rec.requests.length;
    await tap(page, '.submit');
    t.is(text(page, '.error-kind'), '请选择来信类型');
    t.is(text(page, '.error-mailboxId'), '请选择信箱');
    t.is(text(page, '.error-body'), '请把事情写清楚，内容至少10个字');
    t.is(text(page, '.error-visibility'), '请选择是否公开');
    t.deepEqual(app.rec.requests.slice(before), []);
    t.deepEqual(app.rec.consentAsked, []);
    // Fixing a field clears its message.
    await tap(page, '.kind-suggestion');
    t.is(text(page, '.error-kind'), '');
  },
);

test.serial('when the app is killed while writing, then the draft comes back as it was', async (t) => {
  const first = await openPage('pages/write');
  await fillLetter(first);
  first.detach();
  const again = await openPage('pages/write');
  t.is(again.instance.data.draft && (again.instance.data.draft as { title: string }).title, '玉林路路灯不亮');
  t.is(text(again, '.counter'), `${body.length}/5000字`);
  t.is(text(again, '.kind.selected'), '投诉');
  t.is(text(again, '.visibility-private.selected'), '不公开');
  t.is((again.instance.data.draft as { body: string }).body, body);
});

test.serial(
  'when the citizen picks a mailbox by searching, then the draft gets it and the picker closes',
  async (t) => {
    const picker = await openPage('pages/mailboxes');
    t.is(picker.querySelectorAll('.city').length, 3);
    await tap(picker, '.toggle');
    t.true(picker.querySelectorAll('.street').length > 0);
    await type(picker, '.search', '玉林');
    // The search waits for a pause in typing.
    await eventually(async () => (picker.querySelectorAll('.result').length === 1 ? true : undefined), 10_000);
    t.regex(text(picker, '.result'), /玉林街道信箱.*武侯区信箱 › 玉林街道信箱/s);
    await tap(picker, '.result');
    t.is(app.rec.navigations.at(-1), 'back');
    const write = await openPage('pages/write');
    t.is(text(write, '.mailbox'), '玉林街道信箱');
  },
);

test.serial(
  'when a complete letter is submitted, then consent is asked and posted, photos and location reach the case store, and the submitted page shows serial and code',
  async (t) => {
    app.script.consent = {
      MP_SUBSCRIBE_RECEIPT: 'accept',
      MP_SUBSCRIBE_REPLY: 'accept',
      MP_SUBSCRIBE_SURVEY: 'reject',
    };
    app.script.chosenPhotos = [photo('a.jpg'), photo('b.jpg')];
    app.script.location = { latitude: 30.6428, longitude: 104.0432, name: '玉林小区', address: '成都市武侯区玉林路' };
    app.rec.storage.set('mp.draft', {
      clientKey: 'draft-key-0001',
      mailbox: { id: 'district-510107', name: '武侯区信箱' },
    });
    const page = await openPage('pages/write');
    await fillLetter(page);
    await tap(page, '.add-photo');
    await settle();
    t.deepEqual(app.rec.compressed, app.script.chosenPhotos);
    await tap(page, '.location');
    t.is(text(page, '.location'), '玉林小区');
    await tap(page, '.submit');

    t.deepEqual(app.rec.consentAsked, [['MP_SUBSCRIBE_RECEIPT', 'MP_SUBSCRIBE_REPLY', 'MP_SUBSCRIBE_SURVEY']]);
    const redirect = app.rec.navigations.find((n) => n.startsWith('redirect:/pages/submitted/index'));
    t.truthy(redirect);
    const query = Object.fromEntries(new URLSearchParams(redirect!.split('?')[1]));
    t.regex(query.code!, /^\d{6}$/);
    t.false(app.rec.storage.has('mp.draft'), 'the draft is cleared once the letter is stored');

    const openid = `dev-${app.script.user}`;
    // Each answer is recorded; the credits it granted may already be spent by the receipt, which races this check.
    const results = await app.gw.services.db
      .selectFrom('mp_consent_results')
      .select(['template_id', 'result'])
      .where('openid', '=', openid)
      .orderBy('template_id')
      .execute();
    t.deepEqual(
      results.map((r) => [r.template_id, r.result]),
      [
        ['MP_SUBSCRIBE_RECEIPT', 'accept'],
        ['MP_SUBSCRIBE_REPLY', 'accept'],
        ['MP_SUBSCRIBE_SURVEY', 'reject'],
      ],
    );
    const credits = await app.gw.services.db
      .selectFrom('mp_consents')
      .select(['template_id', 'credits'])
      .where('openid', '=', openid)
      .orderBy('template_id')
      .execute();
    t.deepEqual(
      credits.map((c) => [c.template_id, c.credits]),
      [
        ['MP_SUBSCRIBE_RECEIPT', credits[0]!.credits === 0 ? 0 : 1],
        ['MP_SUBSCRIBE_REPLY', 1],
      ],
    );
    const stored = await eventually(async () =>
      app.gw.services.db
        .selectFrom('sandbox_case_letters')
        .select(['letter', 'serial'])
        .where('letter_id', '=', query.id!)
        .executeTakeFirst(),
    );
    const letter = stored.letter as unknown as Letter;
    t.is(letter.attachments.length, 2);
    t.deepEqual(letter.location, {
      latitude: 30.6428,
      longitude: 104.0432,
      label: '玉林小区',
      address: '成都市武侯区玉林路',
    });
    t.is(letter.mailbox.id, 'district-510107');
    t.is(letter.body, body);

    const submitted = await openPage('pages/submitted', { id: query.id!, code: query.code! });
    t.is(text(submitted, '.code'), query.code!);
    // The page asks for the serial after it has loaded: wait for it to show, not for a quiet moment.
    await eventually(
      async () => (text(submitted, '.serial') === stored.serial ? true : undefined),
      30_000,
      'serial shown on the page',
    );
    t.is(text(submitted, '.serial'), stored.serial);
    await tap(submitted, '.copy');
    t.deepEqual(app.rec.clipboard, [`受理流水号：${stored.serial}\n提取码：${query.code}`]);
  },
);

test.serial(
  'when the answer to a submission is lost and the citizen taps submit again, then one letter exists',
  async (t) => {
    app.rec.storage.set('mp.draft', { clientKey: 'draft-key-lost-1', mailbox: { id: 'city-mayor', name: '市长信箱' } });
    app.script.loseNextAnswer.add('/mp/letters');
    const page = await openPage('pages/write');
    await fillLetter(page);
    await tap(page, '.submit');
    // WeChat reports a lost answer as a timeout.
    t.regex(text(page, '.message'), /超时.*可以再次提交/);
    t.false(app.rec.navigations.some((n) => n.startsWith('redirect:')));
    const stored = () =>
      app.gw.services.db
        .selectFrom('letters')
        .select('id')
        .where('citizen_id', '=', `dev-${app.script.user}`)
        .execute();
    t.is((await stored()).length, 1, 'the gateway stored the letter whose answer was lost');
    await tap(page, '.submit');
    t.true(app.rec.navigations.some((n) => n.startsWith('redirect:/pages/submitted/index')));
    t.is((await stored()).length, 1);
  },
);
