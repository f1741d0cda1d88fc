import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import type { MailboxNode, MpMailboxSearch } from '../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

const get = async <T>(query: string) => {
  const r = await fetch(`${gw.url}/mp/mailboxes${query}`);
  return { status: r.status, body: (await r.json()) as T };
};

test('when the app asks for the directory, then city departments come with their office level beside the leaders and districts', async (t) => {
  const { body } = await get<{ mailboxes: MailboxNode[] }>('');
  const levelOf = (name: string) => body.mailboxes.find((m) => m.name === name)?.officeLevel;
  t.is(levelOf('市委书记信箱'), 'party-secretary');
  t.is(levelOf('市长信箱'), 'mayor');
  t.is(levelOf('市教育局信箱'), 'city-department');
  t.is(levelOf('武侯区信箱'), 'district');
  const departments = body.mailboxes.filter((m) => m.officeLevel === 'city-department');
  t.true(departments.length >= 5);
  t.true(departments.every((m) => m.level === 'city' && m.children === undefined));
  const wuhou = body.mailboxes.find((m) => m.name === '武侯区信箱')!;
  t.true(wuhou.children!.every((c) => c.officeLevel === 'street'));
});

test('when the app searches across levels, then matches come grouped by office level, leaders first and streets last', async (t) => {
  const { status, body } = await get<MpMailboxSearch>(`?q=${encodeURIComponent('市')}`);
  t.is(status, 200);
  const order = body.groups.map((g) => g.officeLevel);
  t.deepEqual(
    order,
    ['party-secretary', 'mayor', 'city-department', 'district', 'street'].filter((l) => order.includes(l as never)),
  );
  t.true(order.includes('city-department') && order.includes('district'));
  const byId = new Map(body.results.map((r) => [r.id, r]));
  for (const g of body.groups) t.true(g.ids.every((id) => byId.get(id)?.officeLevel === g.officeLevel));
  t.is(body.groups.flatMap((g) => g.ids).length, body.results.length);

  const dept = await get<MpMailboxSearch>(`?q=${encodeURIComponent('教育')}`);
  t.deepEqual(dept.body.groups, [{ officeLevel: 'city-department', ids: ['dept-education'] }]);
  t.deepEqual(dept.body.results[0]!.path, ['市教育局信箱']);
});

test('when the search is hostile (line breaks, too long, repeated, unknown parameters), then a 422 problem in Chinese, never a 500', async (t) => {
  for (const qs of [
    `q=${encodeURIComponent('玉\n林')}`,
    `q=${'长'.repeat(31)}`,
    `q=${'x'.repeat(10_000)}`,
    'q=a&q=b',
    'level=street',
  ]) {
    const r = await get<{ code: string; problems: { field: string; message: string }[] }>(`?${qs}`);
    t.is(r.status, 422, qs.slice(0, 30));
    t.is(r.body.code, 'request_invalid');
    t.regex(r.body.problems[0]!.message, /[\u4e00-\u9fff]/);
  }
  // A NUL is taken out before any route sees the query (as for every query): what is left is searched.
  const nul = await get<MpMailboxSearch>(`?q=${encodeURIComponent('玉\u0000林')}`);
  t.is(nul.status, 200);
  t.deepEqual(
    nul.body.results.map((r) => r.name),
    ['玉林街道信箱'],
  );
  // Odd but harmless text is a search with no match, not an error.
  const odd = await get<MpMailboxSearch>(`?q=${encodeURIComponent('<script>')}`);
  t.is(odd.status, 200);
  t.deepEqual(odd.body.results, []);
});
