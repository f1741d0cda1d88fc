import test from 'ava';
import { appTest, openPage, settle, tap, text } from './_simulate.js';
import { publish } from '../mp/_board.js';

const app = appTest(test, () => 'reader');

test.serial('when the board is empty, then it says so; offline, it offers a retry that loads it', async (t) => {
  app.script.offline = true;
  const off = await openPage('pages/board');
  t.regex(text(off, '.error'), /网络不通/);
  app.script.offline = false;
  await tap(off, '.retry');
  t.regex(text(off, '.empty'), /暂无公开来信/);
});

test.serial(
  'when letters are published, then the board shows twenty, loads the rest at the bottom, and opens one with its reply',
  async (t) => {
    await publish(app.gw, 23);
    const home = await openPage('pages/index');
    await tap(home, '.board');
    t.is(app.rec.navigations.at(-1), '/pages/board/index');

    const board = await openPage('pages/board');
    t.is(board.querySelectorAll('.board-letter').length, 20);
    t.regex(text(board, '.total'), /共23封公开来信/);
    t.regex(text(board, '.board-letter'), /投诉.*公开来信22.*市民服务热线12345/s);
    await (board.instance.onReachBottom as () => Promise<void>)();
    t.is(board.querySelectorAll('.board-letter').length, 23);
    t.falsy(board.querySelector('.more'));
    t.regex(text(board, '.end'), /没有更多了/);
    // Pulling down starts again from the first page, without duplicates.
    (board.instance.onPullDownRefresh as () => void)();
    await settle();
    t.is(board.querySelectorAll('.board-letter').length, 20);

    await tap(board, '.board-letter');
    const url = app.rec.navigations.at(-1)!;
    t.regex(url, /^\/pages\/board-detail\/index\?ref=[0-9a-f]{20}$/);
    const detail = await openPage('pages/board-detail', { ref: url.split('ref=')[1]! });
    t.is(text(detail, '.title'), '公开来信22');
    t.regex(text(detail, '.text'), /第22封/);
    t.is(text(detail, '.reply'), '已修好22');
    const share = (detail.instance.onShareAppMessage as () => { path: string })();
    t.is(share.path, url);
  },
);

test.serial(
  'when the citizen searches the board, then matching letters are listed with their count, and clearing shows all',
  async (t) => {
    const board = await openPage('pages/board');
    t.is(board.querySelectorAll('.board-letter').length, 20);
    (board.instance.onQuery as (e: { detail: { value: string } }) => void)({ detail: { value: ' 公开来信1 ' } });
    await (board.instance.onSearch as () => Promise<void>)();
    t.deepEqual(
      [...board.querySelectorAll('.board-letter .title')].map((e) => e.dom.textContent?.trim()),
      [
        '公开来信19',
        '公开来信18',
        '公开来信17',
        '公开来信16',
        '公开来信15',
        '公开来信14',
        '公开来信13',
        '公开来信12',
        '公开来信11',
        '公开来信10',
        '公开来信1',
      ],
    );
    t.regex(text(board, '.total'), /含“公开来信1”的公开来信共11封/);
    (board.instance.onQuery as (e: { detail: { value: string } }) => void)({ detail: { value: '没有这样的信' } });
    await (board.instance.onSearch as () => Promise<void>)();
    t.regex(text(board, '.no-match'), /没有找到相关的公开来信/);
    t.falsy(board.querySelector('.empty:not(.no-match)'), 'not the empty-board text');
    await tap(board, '.clear');
    t.is(board.querySelectorAll('.board-letter').length, 20);
    t.regex(text(board, '.total'), /共23封公开来信/);
  },
);

test.serial('when a shared letter was withdrawn meanwhile, then its page says it is not on the board', async (t) => {
  const detail = await openPage('pages/board-detail', { ref: '0123456789abcdef0123' });
  t.regex(text(detail, '.error'), /没有找到这封公开来信/);
  t.falsy(detail.querySelector('.reply'));
});
