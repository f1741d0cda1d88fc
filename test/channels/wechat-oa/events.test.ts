import test from 'ava';
import nock from 'nock';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { oaEnv, postPush, pushXml, textMessage } from '../../_support/wechat-oa.js';
import { queueDeliveries } from '../../../gateway/outbox/deliveries.js';
import { housekeeping } from '../../../gateway/channels/wechat-oa/inbound.js';

const api = 'https://api.weixin.qq.com';
let gw: TestGateway;
const customSent: { touser: string; text: { content: string } }[] = [];

test.before(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nock(api).persist().post('/cgi-bin/stable_token').reply(200, { access_token: 'TOKEN-EVENTS', expires_in: 7200 });
  nock(api)
    .persist()
    .post('/cgi-bin/message/custom/send')
    .query({ access_token: 'TOKEN-EVENTS' })
    .reply(200, (_uri, body) => {
      customSent.push(body as (typeof customSent)[number]);
      return { errcode: 0, errmsg: 'ok' };
    });
  // Everyone written to by template message in this file has unfollowed.
  nock(api)
    .persist()
    .post('/cgi-bin/message/template/send')
    .query(true)
    .reply(200, { errcode: 43004, errmsg: 'require subscribe' });
  gw = await startTestGateway(oaEnv());
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const now = () => Math.floor(Date.now() / 1000);
const event = (openid: string, fields: Record<string, string | number>, at = now()) =>
  pushXml({ FromUserName: openid, CreateTime: at, MsgType: 'event', ...fields });
const deliveriesTo = (openid: string) =>
  gw.services.db.selectFrom('deliveries').selectAll().where('recipient', '=', openid).execute();

test('when a citizen follows, then one welcome goes out by customer-service message even if WeChat retries the event', async (t) => {
  const xml = event('oFollow1', { Event: 'subscribe', EventKey: '' });
  for (let i = 0; i < 3; i++) t.is(await (await postPush(gw.url, xml)).text(), 'success');
  const sent = await eventually(async () => {
    const rows = await deliveriesTo('oFollow1');
    return rows[0]?.status === 'sent' ? rows : undefined;
  });
  t.is(sent.length, 1);
  t.is(sent[0]!.route, 'custom');
  t.is(sent[0]!.template_key, 'welcome');
  const body = customSent.find((b) => b.touser === 'oFollow1');
  t.regex(body?.text.content ?? '', /感谢关注/);
});

test('when a citizen unfollows, then the follower is marked and its reply window closed', async (t) => {
  t.is((await postPush(gw.url, event('oLeave1', { Event: 'subscribe' }, now() - 5))).status, 200);
  t.is((await postPush(gw.url, event('oLeave1', { Event: 'unsubscribe' }))).status, 200);
  const f = await gw.services.db
    .selectFrom('wechat_oa_followers')
    .selectAll()
    .where('openid', '=', 'oLeave1')
    .executeTakeFirstOrThrow();
  t.false(f.subscribed);
  t.is(f.quota_left, 0);
});

test('when an unfollow is handled after a later message opened the window, then that window stays open', async (t) => {
  t.is((await postPush(gw.url, textMessage('oBackAgain', '你好'))).status, 200);
  // The unfollow happened before the message (WeChat's retry of it, or a slow hand-off, arrives late).
  t.is((await postPush(gw.url, event('oBackAgain', { Event: 'unsubscribe' }, now() - 20))).status, 200);
  const f = await eventually(async () => {
    const row = await gw.services.db
      .selectFrom('wechat_oa_followers')
      .selectAll()
      .where('openid', '=', 'oBackAgain')
      .executeTakeFirst();
    const handled = await gw.services.db
      .selectFrom('citizen_preferences')
      .select('citizen_id')
      .where('citizen_id', '=', 'oBackAgain')
      .executeTakeFirst();
    return row && handled ? row : undefined;
  });
  t.true(f.subscribed);
  t.true(f.quota_left > 0);
  t.true(new Date(f.window_until).getTime() > Date.now());
});

test('when TEMPLATESENDJOBFINISH reports a 64-bit MsgID, then the matching delivery becomes delivered or failed', async (t) => {
  const [ok, blocked] = await queueDeliveries(gw.services.db, [
    { letterId: null, channel: 'wechat-oa', recipient: 'oTpl1', kind: 'notice', templateKey: 'none', variables: {} },
    { letterId: null, channel: 'wechat-oa', recipient: 'oTpl2', kind: 'notice', templateKey: 'none', variables: {} },
  ]);
  // Parked as if sent by template a while ago, so the dispatcher leaves them alone.
  await gw.services.db
    .updateTable('deliveries')
    .set({ status: 'sent', route: 'template', provider_message_id: '3487542469355618313' })
    .where('id', '=', ok!)
    .execute();
  await gw.services.db
    .updateTable('deliveries')
    .set({ status: 'sent', route: 'template', provider_message_id: '3487542469355618314' })
    .where('id', '=', blocked!)
    .execute();
  await postPush(
    gw.url,
    event('oTpl1', { Event: 'TEMPLATESENDJOBFINISH', MsgID: '3487542469355618313', Status: 'success' }),
  );
  await postPush(
    gw.url,
    event('oTpl2', { Event: 'TEMPLATESENDJOBFINISH', MsgID: '3487542469355618314', Status: 'failed:user block' }),
  );
  const rows = await gw.services.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'last_error'])
    .where('id', 'in', [ok!, blocked!])
    .execute();
  t.is(rows.find((r) => r.id === ok)?.status, 'delivered');
  t.is(rows.find((r) => r.id === blocked)?.status, 'failed');
  t.regex(rows.find((r) => r.id === blocked)?.last_error ?? '', /failed:userblock/);
});

test('when a subscription popup is answered and the notification later reported sent, then consents and delivery follow', async (t) => {
  const popup = `<SubscribeMsgPopupEvent><List><TemplateId>tpl-accept</TemplateId><SubscribeStatusString>accept</SubscribeStatusString><PopupScene>2</PopupScene></List><List><TemplateId>tpl-reject</TemplateId><SubscribeStatusString>reject</SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>`;
  const xml = event('oSub1', { Event: 'subscribe_msg_popup_event' }).replace('</xml>', `${popup}</xml>`);
  t.is((await postPush(gw.url, xml)).status, 200);
  const consents = await gw.services.db
    .selectFrom('wechat_oa_consents')
    .select(['template_id', 'status'])
    .where('openid', '=', 'oSub1')
    .orderBy('template_id')
    .execute();
  t.deepEqual(consents, [
    { template_id: 'tpl-accept', status: 'accept' },
    { template_id: 'tpl-reject', status: 'reject' },
  ]);
  const [id] = await queueDeliveries(gw.services.db, [
    { letterId: null, channel: 'wechat-oa', recipient: 'oSub1', kind: 'notice', templateKey: 'none', variables: {} },
  ]);
  await gw.services.db
    .updateTable('deliveries')
    .set({
      status: 'sent',
      route: 'subscribe',
      rendered: JSON.stringify({ templateId: 'tpl-accept', data: {} }),
      sent_at: new Date(),
    })
    .where('id', '=', id!)
    .execute();
  const sentEvent = `<SubscribeMsgSentEvent><List><TemplateId>tpl-accept</TemplateId><MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus>success</ErrorStatus></List></SubscribeMsgSentEvent>`;
  t.is(
    (
      await postPush(
        gw.url,
        event('oSub1', { Event: 'subscribe_msg_sent_event' }).replace('</xml>', `${sentEvent}</xml>`),
      )
    ).status,
    200,
  );
  const d = await gw.services.db
    .selectFrom('deliveries')
    .select('status')
    .where('id', '=', id!)
    .executeTakeFirstOrThrow();
  t.is(d.status, 'delivered');
});

test('when an unknown event or message type arrives, then it is acknowledged and recorded', async (t) => {
  t.is(await (await postPush(gw.url, event('oOdd1', { Event: 'SOME_FUTURE_EVENT', EventKey: 'k' }))).text(), 'success');
  t.is(
    await (
      await postPush(
        gw.url,
        pushXml({ FromUserName: 'oOdd1', CreateTime: now(), MsgType: 'miniprogrampage', MsgId: '7000000000000000001' }),
      )
    ).text(),
    'success',
  );
  const recorded = await gw.services.db
    .selectFrom('wechat_oa_events')
    .select(['event', 'processed_at'])
    .where('openid', '=', 'oOdd1')
    .orderBy('event')
    .execute();
  t.deepEqual(
    recorded.map((r) => r.event),
    ['SOME_FUTURE_EVENT', 'msgtype:miniprogrampage'],
  );
  t.true(recorded.every((r) => r.processed_at !== null));
});

test('when a citizen has unfollowed, then surveys are not sent while replies are still tried', async (t) => {
  t.is((await postPush(gw.url, event('oGone1', { Event: 'unsubscribe' }))).status, 200);
  const pref = await gw.services.db
    .selectFrom('citizen_preferences')
    .select('opted_out_at')
    .where('channel', '=', 'wechat-oa')
    .where('citizen_id', '=', 'oGone1')
    .executeTakeFirst();
  t.truthy(pref?.opted_out_at);
  const [survey, reply] = await queueDeliveries(gw.services.db, [
    { letterId: null, channel: 'wechat-oa', recipient: 'oGone1', kind: 'survey', templateKey: 'survey', variables: {} },
    {
      letterId: null,
      channel: 'wechat-oa',
      recipient: 'oGone1',
      kind: 'reply',
      templateKey: 'reply',
      variables: { replyText: '答复', replySummary: '答复' },
    },
  ]);
  gw.services.wakeup.wake('deliveries');
  const rows = await eventually(async () => {
    const r = await gw.services.db
      .selectFrom('deliveries')
      .select(['id', 'status', 'route'])
      .where('id', 'in', [survey!, reply!])
      .execute();
    return r.every((d) => d.status !== 'queued' && d.status !== 'sending') ? r : undefined;
  });
  t.is(rows.find((d) => d.id === survey)?.status, 'failed');
  t.is(rows.find((d) => d.id === survey)?.route, null);
  // The reply is tried by template message, which WeChat refuses for an unfollowed citizen.
  t.like(
    rows.find((d) => d.id === reply),
    { status: 'failed', route: 'template' },
  );
});

test('when an event was stored but not processed, then housekeeping processes it and forgets old nonces', async (t) => {
  await gw.services.db
    .insertInto('wechat_oa_events')
    .values({
      dedup_key: 'oLater1|1|subscribe|',
      openid: 'oLater1',
      event: 'subscribe',
      payload: JSON.stringify({}),
      received_at: new Date(Date.now() - 60_000),
    })
    .execute();
  await gw.services.db
    .insertInto('wechat_oa_nonces')
    .values({ nonce: 'old-nonce', timestamp: '1', body_sha256: 'x', seen_at: new Date(Date.now() - 3600_000) })
    .execute();
  await housekeeping(
    {
      db: gw.services.db,
      log: gw.services.log,
      events: { db: gw.services.db, onQueued: () => gw.services.wakeup.wake('deliveries') },
    },
    300,
  );
  const e = await gw.services.db
    .selectFrom('wechat_oa_events')
    .select('processed_at')
    .where('dedup_key', '=', 'oLater1|1|subscribe|')
    .executeTakeFirstOrThrow();
  t.truthy(e.processed_at);
  t.is((await deliveriesTo('oLater1')).length, 1);
  t.is(
    (await gw.services.db.selectFrom('wechat_oa_nonces').select('nonce').where('nonce', '=', 'old-nonce').execute())
      .length,
    0,
  );
});
