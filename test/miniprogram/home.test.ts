import test from 'ava';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installWx, mpRoot, openPage, tap, text, type WxRecord, type WxScript } from './_simulate.js';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

let gw: TestGateway;
let script: WxScript;
let rec: WxRecord;

test.before(async () => {
  gw = await startTestGateway({ MP_HOTLINE: '028-12345' });
});
test.after.always(async () => {
  await gw?.stop();
});
test.beforeEach(() => {
  script = {
    user: `home-${randomBytes(4).toString('hex')}`,
    consent: {},
    chosenPhotos: [],
    location: null,
    loseNextAnswer: new Set(),
  };
  rec = installWx(gw.url, script);
});

test.serial(
  'when the citizen taps the hotline, then the number the gateway is configured with is dialled',
  async (t) => {
    const home = await openPage('pages/index');
    t.is(text(home, '.call'), '拨打 028-12345 热线');
    await tap(home, '.call');
    t.deepEqual(rec.calls, ['028-12345']);
    t.is(text(home, '.message'), '');
  },
);

test.serial(
  'when the citizen closes the dialer, then nothing is said; when the gateway cannot be reached, then the national number stays',
  async (t) => {
    script.callCancelled = true;
    const home = await openPage('pages/index');
    await tap(home, '.call');
    t.is(text(home, '.message'), '');
    script.callCancelled = false;
    script.offline = true;
    const offline = await openPage('pages/index');
    t.is(text(offline, '.call'), '拨打 12345 热线', 'without the gateway the national number stays');
  },
);

test.serial('when 关怀模式 is switched on, then it is kept and every page opens with larger text', async (t) => {
  const home = await openPage('pages/index');
  t.falsy(home.querySelector('.root.care'));
  await tap(home, '.care-switch');
  t.truthy(home.querySelector('.root.care'));
  t.true(rec.storage.get('mp.care') === true);
  for (const page of ['pages/write', 'pages/letters', 'pages/query']) {
    t.truthy((await openPage(page)).querySelector('.root.care'), page);
  }
  await tap(home, '.care-switch');
  t.falsy((await openPage('pages/query')).querySelector('.root.care'));
});

test.serial('when the home page is shared, then the card opens the home page', async (t) => {
  const home = await openPage('pages/index');
  t.deepEqual(home.instance.onShareAppMessage!(), {
    title: '网络理政：有事请写信，进度随时查',
    path: '/pages/index/index',
  });
  await tap(home, '.privacy');
  t.is(rec.navigations.at(-1), '/pages/privacy/index');
});

test('when any page has a tappable view, then it carries an aria-label (and views an aria-role) for screen readers', (t) => {
  const wxml = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? wxml(join(dir, e.name)) : e.name.endsWith('.wxml') ? [join(dir, e.name)] : [],
    );
  const missing: string[] = [];
  for (const file of [...wxml(join(mpRoot, 'pages')), ...wxml(join(mpRoot, 'components'))]) {
    for (const tag of readFileSync(file, 'utf8').match(
      /<(view|text|image|button)\b[^>]*\b(bindtap|bindgetphonenumber|open-type)=[^>]*>/g,
    ) ?? []) {
      const isView = /^<(view|text|image)\b/.test(tag);
      if (!/aria-label=/.test(tag) || (isView && !/aria-role=/.test(tag)))
        missing.push(`${file.slice(mpRoot.length)}: ${tag.slice(0, 80)}`);
    }
  }
  t.deepEqual(missing, []);
});
