import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import test from 'ava';
import nock from 'nock';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { OA, oaEnv } from '../../_support/wechat-oa.js';
import { fakeWechatApi, WECHAT_API } from '../../_support/wechat-api-fake.js';
import { createAccessTokenStore } from '../../../gateway/channels/wechat-common/token-store.js';
import { createWechatApiClient } from '../../../gateway/channels/wechat-common/api-client.js';
import { fetchOaMedia, type MediaDeps } from '../../../gateway/channels/wechat-oa/media.js';
import type { InboundMessage } from '../../../gateway/conversation/types.js';

let gw: TestGateway;
let deps: MediaDeps;
test.before(async () => {
  fakeWechatApi('TOKEN-MEDIA');
  gw = await startTestGateway(oaEnv());
  const tokens = createAccessTokenStore({
    db: gw.services.db,
    appId: OA.appId,
    secret: OA.secret,
    apiBase: WECHAT_API,
    log: gw.services.log,
  });
  const client = createWechatApiClient({ appId: OA.appId, secret: OA.secret, apiBase: WECHAT_API, tokens });
  deps = { apiBase: WECHAT_API, client, attachments: gw.services.attachments, maxBytes: 1024 * 1024 };
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const media = (id: string) =>
  nock(WECHAT_API).get('/cgi-bin/media/get').query({ access_token: 'TOKEN-MEDIA', media_id: id });

const message = (mediaId: string, kind: 'image' | 'voice' | 'video' = 'image'): InboundMessage => ({
  channel: 'wechat-oa',
  senderId: 'oMedia1',
  providerMessageId: `m-${mediaId}`,
  receivedAt: new Date(),
  type: kind,
  media: { mediaId, kind },
  payload: {},
});

test('when a photo is downloaded, then it is kept with content type, size and sha256 and served under a signed URL', async (t) => {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('photo-bytes')]);
  media('img-ok').reply(200, jpeg, { 'content-type': 'image/jpeg' });
  const r = await fetchOaMedia(deps, message('img-ok'));
  if (!r.ok) return t.fail(r.reason);
  t.like(r.attachment, {
    contentType: 'image/jpeg',
    bytes: jpeg.length,
    sha256: createHash('sha256').update(jpeg).digest('hex'),
  });
  const url = new URL(gw.services.attachments.signedUrl(r.attachment.attachmentId));
  const served = await fetch(`${gw.url}${url.pathname}${url.search}`);
  t.is(served.status, 200);
  t.deepEqual(Buffer.from(await served.arrayBuffer()), jpeg);
});

test('when a download comes without a length and passes the limit, then it is refused for good without being held whole', async (t) => {
  // Chunked (no content-length): the limit is applied while reading.
  let sent = 0;
  const endless = function* () {
    for (; sent < 1000; sent++) yield Buffer.alloc(64 * 1024, 1);
  };
  media('img-endless').reply(200, () => Readable.from(endless()), { 'content-type': 'image/jpeg' });
  const r = await fetchOaMedia(deps, message('img-endless'));
  t.deepEqual(r.ok ? null : { retry: r.retry, reason: r.reason }, {
    retry: false,
    reason: 'media larger than 1048576 bytes',
  });
});

test('when WeChat gives a media type a browser would run, then the file is served sandboxed, never as a page of the gateway', async (t) => {
  media('img-html').reply(200, '<script>alert(1)</script>', { 'content-type': 'text/html' });
  const r = await fetchOaMedia(deps, message('img-html'));
  if (!r.ok) return t.fail(r.reason);
  const url = new URL(gw.services.attachments.signedUrl(r.attachment.attachmentId));
  const served = await fetch(`${gw.url}${url.pathname}${url.search}`);
  t.is(served.status, 200);
  t.is(served.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  t.is(served.headers.get('x-content-type-options'), 'nosniff');
});

test('when the media id expired (40007), then the download fails for good so the letter goes on without it', async (t) => {
  media('img-expired').reply(200, { errcode: 40007, errmsg: 'invalid media_id' }, { 'content-type': 'text/plain' });
  const r = await fetchOaMedia(deps, message('img-expired'));
  t.deepEqual(r.ok ? null : { retry: r.retry, code: /40007/.test(r.reason) }, { retry: false, code: true });
});

test('when WeChat is busy or unreachable, then the download is to be tried again', async (t) => {
  media('img-busy').reply(200, { errcode: -1, errmsg: 'system error' }, { 'content-type': 'application/json' });
  const busy = await fetchOaMedia(deps, message('img-busy'));
  t.true(!busy.ok && busy.retry);
  media('img-down').replyWithError('socket hang up');
  const down = await fetchOaMedia(deps, message('img-down'));
  t.true(!down.ok && down.retry);
});

test('when a video is fetched, then its download URL is followed and the video stored', async (t) => {
  media('vid-1').reply(
    200,
    { video_url: 'http://vweixinf.tc.qq.com/video-1.mp4' },
    { 'content-type': 'application/json' },
  );
  nock('http://vweixinf.tc.qq.com')
    .get('/video-1.mp4')
    .reply(200, Buffer.from('mp4-bytes'), { 'content-type': 'video/mp4' });
  const r = await fetchOaMedia(deps, message('vid-1', 'video'));
  t.true(r.ok && r.attachment.contentType === 'video/mp4' && r.attachment.bytes === 9);
});
