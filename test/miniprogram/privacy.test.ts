import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appTest, openPage, settle, tap, text, type, type RenderedPage } from './_simulate.js';
import { eventually } from '../_support/gateway.js';
import type { Letter } from '../../shared/letter.js';

const photoDir = mkdtempSync(join(tmpdir(), 'mp-photos-'));
const photo = (name: string, bytes = 3000) => {
  const path = join(photoDir, name);
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes)]));
  return path;
};

const app = appTest(test, (title) => `citizen-${title.length}`);

const body = '玉林路小区门口的路灯坏了一个月，晚上很黑，老人出门不方便，请尽快修理。';

async function fillLetter(page: RenderedPage, key: string) {
  app.rec.storage.set('mp.draft', { clientKey: key, mailbox: { id: 'city-mayor', name: '市长信箱' } });
  await page.instance.restore?.();
  await tap(page, '.kind-complaint');
  await type(page, '.body', body);
  await tap(page, '.visibility-private');
}

const draftPhotos = () =>
  ((app.rec.storage.get('mp.draft') ?? {}) as { photos?: { path: string; uploadId?: string; state?: string }[] })
    .photos ?? [];
const storedLetter = (openid: string) =>
  eventually(async () => {
    const row = await app.gw.services.db
      .selectFrom('sandbox_case_letters as s')
      .innerJoin('letters as l', 'l.id', 's.letter_id')
      .select('s.letter')
      .where('l.citizen_id', '=', openid)
      .executeTakeFirst();
    return row?.letter as unknown as Letter | undefined;
  });

test.serial(
  'when the privacy guide is not agreed yet and the citizen adds a photo, then the popup shows and agreeing lets the photo in',
  async (t) => {
    app.script.privacy = 'needed';
    app.script.chosenPhotos = [photo('p1.jpg')];
    const page = await openPage('pages/write');
    await tap(page, '.add-photo');
    t.deepEqual(app.rec.privacyAsked, ['chooseMedia']);
    t.truthy(page.querySelector('.privacy-popup'));
    t.regex(text(page, '.privacy-text'), /《网络理政小程序隐私保护指引》/);
    t.is(draftPhotos().length, 0, 'nothing is chosen before the citizen agrees');
    // The button's agreeprivacyauthorization event is what WeChat fires once it recorded the consent.
    page.querySelector('.privacy-agree')!.dispatchEvent('agreeprivacyauthorization');
    await settle();
    t.deepEqual(app.rec.privacyAnswers, ['exposureAuthorization', 'agree']);
    t.falsy(page.querySelector('.privacy-popup'));
    await eventually(async () => (draftPhotos()[0]?.uploadId ? true : undefined));
    t.is(draftPhotos().length, 1);
  },
);

test.serial(
  'when the citizen declines the privacy guide, then photos stay off, a Chinese message shows the way on, and the letter is still sent',
  async (t) => {
    app.script.privacy = 'needed';
    app.script.chosenPhotos = [photo('p2.jpg')];
    const page = await openPage('pages/write');
    await fillLetter(page, 'privacy-declined-01');
    await tap(page, '.add-photo');
    await tap(page, '.privacy-decline');
    t.deepEqual(app.rec.privacyAnswers, ['exposureAuthorization', 'disagree']);
    t.regex(text(page, '.error-uploadIds'), /没有同意隐私保护指引.*不影响写信/);
    t.is(draftPhotos().length, 0);
    // The guide can be read from the page at any time.
    await tap(page, '.privacy-link');
    t.is(app.rec.contractsOpened, 1);
    await tap(page, '.submit');
    t.true(app.rec.navigations.some((n) => n.startsWith('redirect:/pages/submitted/index')));
    t.is((await storedLetter(`dev-${app.script.user}`)).attachments.length, 0);
  },
);

test.serial(
  'when location and photos are not declared in the privacy guide (errno 112), then each says so in Chinese under its field',
  async (t) => {
    app.script.privacy = 'undeclared';
    app.script.location = { latitude: 30.6, longitude: 104, name: '玉林小区', address: '成都市武侯区' };
    app.script.chosenPhotos = [photo('p3.jpg')];
    const page = await openPage('pages/write');
    await tap(page, '.location');
    t.regex(text(page, '.error-location'), /未开通此功能.*12345/);
    await tap(page, '.add-photo');
    t.regex(text(page, '.error-uploadIds'), /未开通此功能/);
    t.falsy(page.querySelector('.privacy-popup'));
  },
);

test.serial(
  'when the phone button is declined, undeclared or verified, then the page says which and keeps the letter sendable',
  async (t) => {
    const page = await openPage('pages/write');
    const phone = async (detail: Record<string, unknown>) => {
      page.querySelector('.verify-phone')!.dispatchEvent('getphonenumber', { detail });
      await settle();
    };
    await phone({ errMsg: 'getPhoneNumber:fail user deny' });
    t.is(text(page, '.error-usePhone'), '您没有授权手机号，可以不留手机号直接提交');
    await phone({ errMsg: 'getPhoneNumber:fail api scope is not declared in the privacy agreement', errno: 112 });
    t.regex(text(page, '.error-usePhone'), /未开通此功能/);
    await phone({ errMsg: 'getPhoneNumber:ok', code: 'not-a-dev-code' });
    t.regex(text(page, '.error-usePhone'), /[\u4e00-\u9fff]/, 'a refused code is explained in Chinese');
    t.notRegex(text(page, '.error-usePhone'), /sandbox|code/i);
    await phone({ errMsg: 'getPhoneNumber:ok', code: 'dev:13812345678' });
    t.regex(text(page, '.use-phone'), /138\*{4}5678|138.*5678/);
    t.is(text(page, '.error-usePhone'), '');
  },
);

test.serial(
  'when a photo is added, then it is kept in the user-data folder until the letter is sent, and removed after',
  async (t) => {
    app.script.chosenPhotos = [photo('k1.jpg')];
    const page = await openPage('pages/write');
    await fillLetter(page, 'kept-photos-001');
    await tap(page, '.add-photo');
    await eventually(async () => (draftPhotos()[0]?.uploadId ? true : undefined));
    const kept = draftPhotos()[0]!.path;
    t.true(kept.startsWith(app.rec.userDataPath + '/'));
    t.true(existsSync(kept));
    await tap(page, '.submit');
    t.true(app.rec.navigations.some((n) => n.startsWith('redirect:/pages/submitted/index')));
    await eventually(async () => (existsSync(kept) ? undefined : true));
    t.deepEqual(readdirSync(app.rec.userDataPath), []);
  },
);

test.serial(
  'when a restored draft has a photo WeChat deleted, then it is dropped with a message and the others stay',
  async (t) => {
    const a = join(app.rec.userDataPath, 'draft-a.jpg');
    const b = join(app.rec.userDataPath, 'draft-b.jpg');
    copyFileSync(photo('v1.jpg'), a);
    copyFileSync(photo('v2.jpg'), b);
    app.rec.storage.set('mp.draft', { clientKey: 'vanished-0001', photos: [{ path: a }, { path: b }] });
    unlinkSync(a);
    const page = await openPage('pages/write');
    t.is(text(page, '.error-uploadIds'), '有1张照片已被微信清理，请重新添加');
    t.deepEqual(
      draftPhotos().map((p) => p.path),
      [b],
    );
    t.is(page.querySelectorAll('.photo').length, 1);
  },
);

test.serial(
  'when a photo upload fails, then the photo says so, a tap retries it, and the letter carries it',
  async (t) => {
    app.script.chosenPhotos = [photo('u1.jpg')];
    app.script.uploadFailures = 1;
    const page = await openPage('pages/write');
    await fillLetter(page, 'upload-retry-01');
    await tap(page, '.add-photo');
    await eventually(async () => (draftPhotos()[0]?.state === 'failed' ? true : undefined));
    await settle();
    t.is(text(page, '.photo-0 .retry'), '上传失败，点此重试');
    t.is(text(page, '.error-uploadIds'), '照片上传失败，点照片重试');
    await tap(page, '.photo-0 .retry');
    await eventually(async () => (draftPhotos()[0]?.uploadId ? true : undefined));
    await settle();
    t.falsy(page.querySelector('.photo-0 .retry'));
    await tap(page, '.submit');
    t.is((await storedLetter(`dev-${app.script.user}`)).attachments.length, 1);
  },
);

test.serial(
  'when uploads fail at submit, then nothing is posted, the failed photo is marked, and submitting again sends it',
  async (t) => {
    const page = await openPage('pages/write');
    const p = join(app.rec.userDataPath, 'draft-s.jpg');
    copyFileSync(photo('s1.jpg'), p);
    app.rec.storage.set('mp.draft', {
      clientKey: 'upload-submit-1',
      mailbox: { id: 'city-mayor', name: '市长信箱' },
      photos: [{ path: p }],
    });
    await page.instance.restore?.();
    await tap(page, '.kind-complaint');
    await type(page, '.body', body);
    await tap(page, '.visibility-private');
    app.script.uploadFailures = 1;
    await tap(page, '.submit');
    t.false(app.rec.requests.includes('POST /mp/letters'));
    t.is(text(page, '.error-uploadIds'), '照片上传失败，点照片重试');
    t.regex(text(page, '.message'), /可以再次提交/);
    t.is(draftPhotos()[0]!.state, 'failed');
    await tap(page, '.submit');
    t.true(app.rec.navigations.some((n) => n.startsWith('redirect:/pages/submitted/index')));
    t.is((await storedLetter(`dev-${app.script.user}`)).attachments.length, 1);
  },
);

test.serial('when a photo is larger than the gateway takes, then the phone refuses it before uploading', async (t) => {
  app.script.chosenPhotos = [photo('big.jpg', 5 * 1024 * 1024 + 10)];
  const page = await openPage('pages/write');
  await tap(page, '.add-photo');
  t.is(text(page, '.error-uploadIds'), '这张照片超过5MB，请换一张或截图后再传');
  t.is(draftPhotos().length, 0);
  t.false(app.rec.requests.some((r) => r.startsWith('UPLOAD')));
});

test.serial('when the gateway refuses a photo with its English detail, then the citizen reads Chinese', async (t) => {
  const notImage = join(photoDir, 'note.jpg');
  writeFileSync(notImage, 'this is not an image at all, just text pretending to be a jpeg');
  app.script.chosenPhotos = [notImage];
  const page = await openPage('pages/write');
  await tap(page, '.add-photo');
  await eventually(async () => (draftPhotos()[0]?.state === 'failed' ? true : undefined));
  await settle();
  t.is(text(page, '.error-uploadIds'), '只能上传JPG、PNG、GIF或WebP格式的照片');
});

test.serial(
  'when the phone is offline at submit, then the letter stays on the phone with a Chinese message',
  async (t) => {
    const page = await openPage('pages/write');
    await fillLetter(page, 'offline-submit-1');
    app.script.offline = true;
    await tap(page, '.submit');
    t.is(text(page, '.message'), '网络不通，请检查网络后再试。信件已保存，可以再次提交。');
    t.truthy(app.rec.storage.get('mp.draft'));
    app.script.offline = false;
    await tap(page, '.submit');
    t.true(app.rec.navigations.some((n) => n.startsWith('redirect:/pages/submitted/index')));
  },
);

test.serial(
  'when every notification is declined, then the submitted page says where progress shows instead',
  async (t) => {
    const page = await openPage('pages/submitted', {
      id: '00000000-0000-0000-0000-000000000000',
      code: '123456',
      declined: '1',
    });
    t.regex(text(page, '.consent-note'), /没有允许接收通知.*我的来信/);
    app.script.privacy = 'undeclared';
    await tap(page, '.copy');
    t.regex(text(page, '.copy-message'), /未开通此功能/);
  },
);

test.serial('when a location is invalid, then its own field shows the Chinese reason', async (t) => {
  const page = await openPage('pages/write');
  await fillLetter(page, 'bad-location-01');
  page.instance.change?.({ location: { latitude: 200, longitude: 104 } });
  await tap(page, '.submit');
  t.is(text(page, '.message'), '请按红字提示修改后再提交');
  t.is(text(page, '.error-location'), '位置无效，请重新选择位置');
});
