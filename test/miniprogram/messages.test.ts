import test from 'ava';
import { appTest, letterInApp, openPage, tap, text } from './_simulate.js';
import { serialOf } from '../_support/gateway.js';

const app = appTest(test, () => 'msg');

async function letterWritten(): Promise<string> {
  const id = await letterInApp(app);
  await serialOf(app.gw.services.db, id);
  return id;
}

test.serial(
  'when a letter gets a reply and a survey, then the message centre lists them unread, opening one marks only it read, and 全部标为已读 the rest',
  async (t) => {
    const id = await letterWritten();
    t.is(
      (await app.gw.api(`/api/v1/letters/${id}/replies`, { method: 'POST', json: { text: '可乘坐公交55路直达。' } }))
        .status,
      202,
    );
    t.true((await app.gw.api(`/api/v1/letters/${id}/surveys`, { method: 'POST', json: {} })).ok);

    const home = await openPage('pages/index');
    const unread = Number(text(home, '.badge'));
    t.true(unread >= 2, `badge shows ${unread}`);
    await tap(home, '.messages');
    t.is(app.rec.navigations.at(-1), '/pages/messages/index');

    const centre = await openPage('pages/messages');
    const items = centre.querySelectorAll('.message-item');
    t.is(items.length, unread);
    t.is(centre.querySelectorAll('.message-item.unread').length, unread);
    const texts = items.map((i) => i.dom.textContent?.replace(/\s+/g, ' ') ?? '');
    t.true(texts.some((x) => /答复.*公交线路咨询.*可乘坐公交55路直达。/.test(x)));
    t.true(texts.some((x) => /评价.*请评价办理结果/.test(x)));
    t.true(texts.some((x) => /进度.*办理进度：已受理/.test(x)));
    t.is(text(centre, '.unread-count'), `${unread}条未读`);
    // Tapping the survey invitation opens the rating and marks that one message read, there and on the gateway.
    await tap(centre, '.message-item.kind-survey');
    t.is(app.rec.navigations.at(-1), `/pages/satisfaction/index?id=${id}`);
    t.falsy(centre.querySelector('.message-item.kind-survey.unread'));
    t.is(text(centre, '.unread-count'), `${unread - 1}条未读`);

    const again = await openPage('pages/messages');
    t.is(again.querySelectorAll('.message-item.unread').length, unread - 1);
    t.falsy(again.querySelector('.message-item.kind-survey.unread'));
    t.is(text(await openPage('pages/index'), '.badge'), String(unread - 1));

    // 全部标为已读 clears the rest.
    await tap(again, '.read-all');
    t.is(again.querySelectorAll('.message-item.unread').length, 0);
    t.is(text(again, '.unread-count'), '没有未读消息');
    t.falsy(again.querySelector('.read-all'));
    t.is(text(await openPage('pages/index'), '.badge'), '');
  },
);

test.serial(
  'when the citizen has no letters, then the message centre says so; offline, it offers a retry',
  async (t) => {
    const empty = await openPage('pages/messages');
    t.regex(text(empty, '.empty'), /还没有消息/);
    app.script.offline = true;
    const offline = await openPage('pages/messages');
    t.regex(text(offline, '.error'), /网络不通/);
    app.script.offline = false;
    await tap(offline, '.retry');
    t.truthy(offline.querySelector('.empty'));
  },
);
