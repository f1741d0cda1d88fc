import test from 'ava';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { ADMIN_PASSWORD, startConsoleGateway, staffClient, type StaffClient } from '../admin/_staff.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
});
test.after.always(async () => {
  await gw?.stop();
});

interface Letters {
  letters: {
    letterId: string;
    serial: string;
    receivedAt: string;
    deliveries: number;
    letter: { id: string; body: string; channel: string };
  }[];
}
interface Events {
  events: { idempotencyKey: string; receivedAt: string; event: { type: string; letterId: string } }[];
}

test('when a letter reaches the reference case store, then staff read it and the events it received there, and nobody else does', async (t) => {
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const got = await eventually(
    async () => {
      const r = await fetch(`${gw.url}/sandbox/case-store/letters?letterId=${letterId}`, {
        headers: { cookie: admin.cookie },
      });
      const body = (await r.json()) as Letters;
      return body.letters.length > 0 ? body : undefined;
    },
    30_000,
    'the letter in the case store',
  );
  t.is(got.letters.length, 1);
  t.is(got.letters[0]!.letter.id, letterId);
  t.regex(got.letters[0]!.serial, /^CD\d{14}$/);
  t.is(got.letters[0]!.deliveries, 1);

  // The console path (where the /admin-scoped session cookie goes by itself) answers the same.
  const viaConsole = (await (
    await admin.call('GET', `/sandbox/case-store/letters?letterId=${letterId}`)
  ).json()) as Letters;
  t.deepEqual(viaConsole, got);

  // The gateway reports the letter's progress as events (the receipt's delivery at least).
  const events = await eventually(
    async () => {
      const body = (await (
        await admin.call('GET', `/sandbox/case-store/events?letterId=${letterId}`)
      ).json()) as Events;
      return body.events.length > 0 ? body : undefined;
    },
    30_000,
    'an event about the letter',
  );
  t.true(events.events.every((e) => e.event.letterId === letterId));
  const type = events.events[0]!.event.type;
  const byType = (await (
    await admin.call('GET', `/sandbox/case-store/events?letterId=${letterId}&type=${type}`)
  ).json()) as Events;
  t.true(byType.events.length > 0 && byType.events.every((e) => e.event.type === type));

  for (const path of ['/sandbox/case-store/letters', '/sandbox/case-store/events']) {
    const anonymous = await fetch(gw.url + path);
    t.is(anonymous.status, 401, path);
    t.is(((await anonymous.json()) as { code: string }).code, 'unauthorized');
    const apiKey = await gw.api(path);
    t.is(apiKey.status, 401, `${path} with the core API key`);
    t.is((await fetch(gw.url + path, { headers: { cookie: 'lgw_staff=forged-session-token-000000000' } })).status, 401);
  }
  t.is((await fetch(`${gw.url}/admin/api/sandbox/case-store/letters`)).status, 401);
});

test('when a real case store is configured, then the reference case store has no read side', async (t) => {
  const live = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    CASE_STORE_URL: 'http://127.0.0.1:9',
    CASE_STORE_SECRET: 'case-store-secret-0123456789',
  });
  t.teardown(() => live.stop());
  const staff = staffClient(live);
  await staff.login('admin', ADMIN_PASSWORD);
  t.is((await fetch(`${live.url}/sandbox/case-store/letters`, { headers: { cookie: staff.cookie } })).status, 404);
  t.is((await staff.call('GET', '/sandbox/case-store/letters')).status, 404);
});
