import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ PUBLIC_REQUESTS_PER_MINUTE: '10' });
});
test.after.always(async () => {
  await gw?.stop();
});

test('when one address sends 40 public requests at once, then at most the per-minute allowance is served and the rest get 429 with Retry-After', async (t) => {
  const rs = await Promise.all(Array.from({ length: 40 }, () => fetch(`${gw.url}/public/figures.json`)));
  const ok = rs.filter((r) => r.status === 200).length;
  const limited = rs.filter((r) => r.status === 429);
  // A minute boundary during the burst may open a second allowance, never more.
  t.true(ok >= 10 && ok <= 20, `${ok} served`);
  t.is(ok + limited.length, 40);
  t.is(limited[0]!.headers.get('retry-after'), '60');
  t.is(((await limited[0]!.json()) as { code: string }).code, 'rate_limited');
});
