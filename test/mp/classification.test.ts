// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { classificationFor } from '../../gateway/classification/service.js';
import type { MpClassification } from '../../shared/mp-api.js';
import { hostile, letterJson, sandboxSession } from './_session.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(gw.url + path, { headers });

test.serial(
  'when the app asks for the pickers, then it gets the current topics and the city’s districts with their streets, and a 304 for its ETag',
  async (t) => {
    const r = await get('/mp/classification');
    t.is(r.status, 200);
    const c = (await r.json()) as MpClassification;
    t.is(c.city.code, '5101');
    t.true(c.topics.some((x) => x.code === 'city-management' && x.name === '城市管理'));
    const wuhou = c.regions.find((x) => x.code === '510107');
    t.is(wuhou?.name, '武侯区');
    t.true(wuhou!.streets.some((s) => s.name === '玉林街道' && /^510107\d{3}$/.test(s.code)));
    t.true(c.regions.every((x) => /^5101\d{2}$/.test(x.code)));
    const etag = r.headers.get('etag')!;
    t.regex(r.headers.get('cache-control') ?? '', /max-age=\d+/);
    t.is((await get('/mp/classification', { 'if-none-match': etag })).status, 304);

    // Staff save a new taxonomy: only its topics are offered, under a new ETag.
    const store = classificationFor(gw.services.db, gw.services.config).taxonomy;
    await store.replace([{ code: 'housing', name: '城乡住房', keywords: ['物业'] }], 'test');
    const fresh = await eventually(async () => {
      const a = await get('/mp/classification', { 'if-none-match': etag });
      return a.status === 200 ? ((await a.json()) as MpClassification) : undefined;
    }, 60_000);
    t.deepEqual(fresh.topics, [{ code: 'housing', name: '城乡住房' }]);
  },
);

test('when the query string carries anything (NUL, huge, arrays), then a 4xx problem in Chinese, never a 500', async (t) => {
  for (const qs of ['x=1', 'a=%00', `q=${'x'.repeat(5000)}`, 'v=1&v=2']) {
    const r = await get(`/mp/classification?${qs}`);
    t.is(r.status, 422, qs);
    const p = (await r.json()) as { code: string; problems: { message: string }[] };
    t.is(p.code, 'request_invalid');
    t.regex(p.problems[0]!.message, /[\u4e00-\u9fff]/);
  }
});

test.serial(
  'when a letter carries a chosen topic and street, then the letter keeps them as the citizen’s choice, not inferred',
  async (t) => {
    const call = await sandboxSession(gw, 'pick');
    const c = (await (await get('/mp/classification')).json()) as MpClassification;
    const topic = c.topics[0]!.code;
    const street = c.regions.find((x) => x.code === '510107')!.streets.find((s) => s.name === '玉林街道')!;
    // The body names another district: the citizen's choice still wins.
    const r = await call('/mp/letters', {
      json: letterJson({ topic, region: street.code, body: '锦江区春熙路的下水道堵了好几天，气味很大，请处理。' }),
    });
    t.is(r.status, 201);
    const row = await eventually(async () => {
      const l = await gw.services.db
        .selectFrom('letters')
        .select(['topic', 'topic_inferred', 'region_code', 'region_inferred', 'body'])
        .where('id', '=', r.body.letterId as string)
        .executeTakeFirst();
      return l?.topic_inferred === false && l.region_inferred === false ? l : undefined;
    });
    t.is(row.topic, topic);
    t.is(row.region_code, street.code);
    t.deepEqual(row.body.region, { code: street.code, name: '武侯区玉林街道' });
  },
);

test('when a letter carries an unknown or hostile topic or region, then a 422 naming the field, and no letter', async (t) => {
  const call = await sandboxSession(gw, 'bad-pick');
  const cases: [string, unknown][] = [
    ['topic', 'no-such-topic'],
    ['region', '110101'],
    ['region', '510107999'],
    ...hostile.flatMap((v): [string, unknown][] => [
      ['topic', v],
      ['region', v],
    ]),
  ];
  for (const [field, value] of cases) {
    const r = await call('/mp/letters', { json: letterJson({ [field]: value }) });
    t.true(r.status === 422 || r.status === 413, `${field}=${JSON.stringify(value).slice(0, 40)} → ${r.status}`);
    if (r.status === 422) {
      const problems = r.body.problems as { field: string; message: string }[];
      t.true(
        problems.some((p) => p.field === field && /[\u4e00-\u9fff]/.test(p.message)),
        JSON.stringify(problems),
      );
    }
  }
  const n = await gw.services.db
    .selectFrom('letters')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('citizen_id', '=', call.openid)
    .executeTakeFirstOrThrow();
  t.is(Number(n.n), 0);
});
