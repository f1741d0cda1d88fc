import test from 'ava';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { Citizen, letterForm, PNG, MAILBOX } from './_web.js';

// The web mailbox's photo limit is its own setting, not the mini-program's (whose app compresses before uploading).
let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({
    MP_UPLOAD_MAX_BYTES: String(1024 * 1024),
    WEB_PHOTO_MAX_BYTES: String(2 * 1024 * 1024),
  });
});
test.after.always(async () => {
  await gw?.stop();
});

const photo = (bytes: number) => ({
  name: 'photo.png',
  type: 'image/png',
  data: Buffer.concat([PNG, Buffer.alloc(bytes - PNG.length)]),
});

test('when WEB_PHOTO_MAX_BYTES is set, then the form states it and takes photos up to it, whatever the mini-program limit', async (t) => {
  const citizen = new Citizen(gw);
  const form = await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  t.regex(form.html, /每张不超过2MB/);
  const under = await citizen.post('/web/drafts', letterForm({}, [photo(1.5 * 1024 * 1024)]));
  t.is(under.status, 303, 'a photo above the mini-program limit but within the web one is taken');
  const over = await citizen.post('/web/drafts', letterForm({}, [photo(2.5 * 1024 * 1024)]));
  t.is(over.status, 422);
  t.regex(over.html, /照片“photo.png”超过2MB/);
});
