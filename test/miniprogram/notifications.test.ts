import test from 'ava';
import nock from 'nock';
import { installWx, openPage, tap, text, type } from './_simulate.js';
import { eventually, type TestGateway } from '../_support/gateway.js';
import { startMpGateway, stopNock, passCheck, WX, APPID } from '../channels/wechat-mp/_mp.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway();
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

test.serial(
  'when a citizen writes from the app and consents, then receipt and reply arrive as subscribe messages while consents last, and every reply is in the app',
  async (t) => {
    const openid = 'o-app-citizen-1';
    nock(WX)
      .get('/sns/jscode2session')
      .query((q) => q.js_code === 'wx-login-code-1' && q.appid === APPID)
      .reply(200, { openid, session_key: 'KEY==' });
    passCheck(openid);
    const sent: { template_id: string; touser: string; data: Record<string, { value: string }> }[] = [];
    nock(WX)
      .post('/cgi-bin/message/subscribe/send', (b: (typeof sent)[number]) => {
        sent.push(b);
        return true;
      })
      .query(true)
      .times(2)
      .reply(200, { errcode: 0, errmsg: 'ok', msgid: 42 });

    const script = {
      user: 'unused',
      loginCode: 'wx-login-code-1',
      consent: { MP_SUBSCRIBE_RECEIPT: 'accept', MP_SUBSCRIBE_REPLY: 'accept', MP_SUBSCRIBE_SURVEY: 'reject' },
      chosenPhotos: [],
      location: null,
      loseNextAnswer: new Set<string>(),
    };
    const rec = installWx(gw.url, script);
    rec.storage.set('mp.draft', { clientKey: 'app-notify-0001', mailbox: { id: 'city-mayor', name: '市长信箱' } });
    const write = await openPage('pages/write');
    await tap(write, '.kind-suggestion');
    await type(write, '.body', '建议在玉林路口增设一处人行横道信号灯，方便老人和学生过马路。');
    await tap(write, '.visibility-public');
    await tap(write, '.submit');
    const redirect = rec.navigations.find((n) => n.startsWith('redirect:/pages/submitted/index'));
    t.truthy(redirect, text(write, '.message'));
    const letterId = new URLSearchParams(redirect!.split('?')[1]).get('id')!;

    await eventually(async () => (sent.length === 1 ? true : undefined));
    t.is(sent[0]!.template_id, 'MP_SUBSCRIBE_RECEIPT');
    t.is(sent[0]!.touser, openid);
    for (const reply of ['已转交交警部门研究。', '交警部门已同意设置信号灯，预计下月完成。']) {
      t.is(
        (await gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text: reply } })).status,
        202,
      );
    }
    const deliveries = await eventually(async () => {
      const ds = (
        (await (await gw.api(`/api/v1/letters/${letterId}`)).json()) as {
          deliveries: { kind: string; status: string; lastError: string | null }[];
        }
      ).deliveries;
      return ds.length === 3 && ds.every((d) => d.status !== 'queued' && d.status !== 'sending') ? ds : undefined;
    }, 15_000);
    t.deepEqual(
      deliveries.map((d) => [d.kind, d.status]),
      [
        ['receipt', 'sent'],
        ['reply', 'sent'],
        ['reply', 'fallback'],
      ],
    );
    t.regex(deliveries[2]!.lastError ?? '', /^in-app only: no_consent/);
    t.deepEqual(
      sent.map((s) => s.template_id),
      ['MP_SUBSCRIBE_RECEIPT', 'MP_SUBSCRIBE_REPLY'],
    );

    const detail = await openPage('pages/letter-detail', { id: letterId });
    const texts = Array.from(detail.dom.querySelectorAll('.timeline--text')).map((n) => n.textContent ?? '');
    t.deepEqual(texts.slice(1), ['已转交交警部门研究。', '交警部门已同意设置信号灯，预计下月完成。']);
  },
);
