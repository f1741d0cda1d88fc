import test from 'ava';
import { sql } from 'kysely';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import type { MpBoardPage, MpPublicLetter } from '../../shared/mp-api.js';
import { sandboxSession, type Call } from './_session.js';
import { publish } from './_board.js';

let gw: TestGateway;
let call: Call;
test.before(async () => {
  gw = await startTestGateway();
  call = await sandboxSession(gw, 'board');
  await publish(gw, 25);
  await publish(gw, 1, { withdrawn: true, from: 100 });
  await publish(gw, 1, { visibility: 'private', from: 200 });
  // Serials arrive from the case store a moment later; the comparisons below want them settled.
  await eventually(async () => {
    const open = await gw.services.db.selectFrom('letters').select('id').where('serial', 'is', null).execute();
    return open.length === 0 ? true : undefined;
  });
});
test.after.always(async () => {
  await gw?.stop();
});

const page = async (n: number) => (await call(`/mp/public/letters?page=${n}`)).body as unknown as MpBoardPage;

test.serial(
  'when the app pages through the board, then it gets what /public/ shows, twenty at a time, newest first, each letter once',
  async (t) => {
    const [one, two, three] = [await page(1), await page(2), await page(3)];
    t.is(one.letters.length, 20);
    t.like(one, { page: 1, pageSize: 20, total: 25, hasMore: true });
    t.is(two.letters.length, 5);
    t.false(two.hasMore);
    t.deepEqual(three.letters, []);
    const board = [...one.letters, ...two.letters];
    t.is(new Set(board.map((l) => l.ref)).size, 25);
    t.is(board[0]!.title, '公开来信24');
    t.is(board[24]!.title, '公开来信0');
    // Field for field what the public page publishes, plus the opaque reference and nothing else.
    const pub = ((await (await fetch(`${gw.url}/public/letters.json`)).json()) as { letters: object[] }).letters;
    t.deepEqual(
      board.map(({ ref, ...rest }) => {
        t.regex(ref, /^[0-9a-f]{20}$/);
        return rest;
      }),
      pub,
    );
    const ids = await gw.services.db.selectFrom('letters').select('id').execute();
    t.false(JSON.stringify(board).includes(ids[0]!.id));
  },
);

test.serial(
  'when the app opens one letter by its reference, then it is the same as in the list; once withdrawn, it is gone',
  async (t) => {
    const listed = (await page(1)).letters[3]!;
    const one = await call(`/mp/public/letters/${listed.ref}`);
    t.is(one.status, 200);
    t.deepEqual(one.body as unknown as MpPublicLetter, listed);

    await sql`update public_letters set withdrawn_at = now() where title = ${listed.title}`.execute(gw.services.db);
    const gone = await call(`/mp/public/letters/${listed.ref}`);
    t.is(gone.status, 404);
    t.regex(String(gone.body.detail), /没有找到这封公开来信/);
    t.false((await page(1)).letters.some((l) => l.ref === listed.ref));
  },
);

test('when the page number or the reference is hostile, then a 4xx problem in Chinese, never a 500', async (t) => {
  for (const qs of [
    'page=0',
    'page=-1',
    'page=1.5',
    'page=abc',
    'page=%00',
    `page=${'9'.repeat(5000)}`,
    'page=101',
    'page=1&page=2',
    'size=1000',
  ]) {
    const r = await call(`/mp/public/letters?${qs}`);
    t.is(r.status, 422, qs.slice(0, 30));
    t.regex((r.body.problems as { message: string }[])[0]!.message, /[\u4e00-\u9fff]/);
  }
  for (const ref of ['%00', 'x'.repeat(5000), 'ABCDEF0123456789ABCD', "1'%20or%20'1'='1", '..%2F..%2Fadmin']) {
    const r = await call(`/mp/public/letters/${ref}`);
    t.is(r.status, 404, ref.slice(0, 30));
    t.is(r.body.code, 'not_found');
  }
  const anonymous = await fetch(`${gw.url}/mp/public/letters`);
  t.is(anonymous.status, 401);
});

test.serial(
  'when the app searches the board, then only published letters containing the words come back, counted, and pattern characters are plain text',
  async (t) => {
    const hit = (await call(`/mp/public/letters?q=${encodeURIComponent('公开来信2')}`)).body as unknown as MpBoardPage;
    // 公开来信2 and 公开来信20–24, less 21 (withdrawn by the test before); never the withdrawn (100) or private (200).
    t.deepEqual(
      hit.letters.map((l) => l.title),
      ['公开来信24', '公开来信23', '公开来信22', '公开来信20', '公开来信2'],
    );
    t.like(hit, { total: 5, hasMore: false });
    const reply = (await call(`/mp/public/letters?q=${encodeURIComponent('已修好4')}`)).body as unknown as MpBoardPage;
    t.deepEqual(
      reply.letters.map((l) => l.title),
      ['公开来信4'],
      'replies are searched too',
    );
    for (const q of ['%', '_', '\\']) {
      const none = (await call(`/mp/public/letters?q=${encodeURIComponent(q)}`)).body as unknown as MpBoardPage;
      t.is(none.total, 0, `${q} is a character, not a pattern`);
    }
    t.is(((await call('/mp/public/letters?q=100')).body as unknown as MpBoardPage).total, 0, 'withdrawn stays hidden');
    const blank = (await call('/mp/public/letters?q=%20%20')).body as unknown as MpBoardPage;
    t.is(blank.total, 24, 'blank words search nothing: the whole board');
    const long = await call(`/mp/public/letters?q=${'字'.repeat(31)}`);
    t.is(long.status, 422);
    t.regex(JSON.stringify(long.body), /搜索词不超过30个字/);
    t.is((await call('/mp/public/letters?q=a&q=b')).status, 422);
    t.is((await call(`/mp/public/letters?q=${encodeURIComponent('a\nb')}`)).status, 422);
  },
);
