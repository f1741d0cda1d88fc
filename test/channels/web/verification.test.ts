import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { Citizen, codeSentTo, codesSentTo, newPhone } from './_web.js';

let gw: TestGateway;
test.before(async () => {
  // Client addresses come from X-Forwarded-For, so one test can act from many addresses. The resend interval is long
  // enough that no request of a parallel burst can outlast it on a loaded machine.
  gw = await startTestGateway({
    TRUSTED_PROXIES: '127.0.0.1',
    WEB_CODES_PER_ADDRESS_PER_HOUR: '5',
    WEB_CODES_PER_PHONE_PER_DAY: '3',
    WEB_CODE_RESEND_SECONDS: '600',
    WEB_CODE_MAX_ATTEMPTS: '3',
  });
});
test.after.always(async () => {
  await gw?.stop();
});

let n = 0;
const address = () => `198.51.100.${++n}`;

async function ready(addr = address()): Promise<Citizen> {
  const c = new Citizen(gw, addr);
  await c.get('/web/');
  return c;
}

test('when 30 code requests for one phone arrive at once, then exactly one code is sent', async (t) => {
  const phone = newPhone();
  const answers = await Promise.all(
    Array.from({ length: 30 }, async () => (await ready()).post('/web/verify/send', { phone, next: '/web/' })),
  );
  t.is(answers.filter((a) => a.status === 200).length, 1);
  t.is(answers.filter((a) => a.status === 429).length, 29);
  t.regex(answers.find((a) => a.status === 429)!.html, /id="phone-error">验证码发送过于频繁，请\d+秒后再试/);
  t.is(await codesSentTo(gw, `+86${phone}`), 1);
});

test('when one address asks codes for 20 phones at once, then only the hourly allowance of that address is sent', async (t) => {
  const addr = address();
  const phones = Array.from({ length: 20 }, () => newPhone());
  const answers = await Promise.all(
    phones.map(async (phone) => (await ready(addr)).post('/web/verify/send', { phone, next: '/web/' })),
  );
  t.is(answers.filter((a) => a.status === 200).length, 5);
  t.regex(answers.find((a) => a.status === 429)!.html, /您所在网络获取验证码过于频繁/);
  const sent = await Promise.all(phones.map((p) => codesSentTo(gw, `+86${p}`)));
  t.is(
    sent.reduce((a, b) => a + b, 0),
    5,
  );
  // Another address is not held back by this one.
  t.is((await (await ready()).post('/web/verify/send', { phone: newPhone(), next: '/web/' })).status, 200);
});

test('when one phone has had its codes for the day, then no further code is sent to it from any address', async (t) => {
  const phone = newPhone();
  for (let i = 0; i < 3; i++) {
    t.is((await (await ready()).post('/web/verify/send', { phone, next: '/web/' })).status, 200);
    // Past the resend interval without waiting: the code row is made older.
    await sql`update web_phone_codes set sent_at = now() - interval '1 hour' where phone_hash = ${gw.services.pii.lookupHash(`+86${phone}`)}`.execute(
      gw.services.db,
    );
  }
  const fourth = await (await ready()).post('/web/verify/send', { phone, next: '/web/' });
  t.is(fourth.status, 429);
  t.regex(fourth.html, /今天获取验证码的次数已达上限/);
  t.is(await codesSentTo(gw, `+86${phone}`), 3);
});

test('when wrong codes are tried in parallel, then only the allowed attempts count and the right code is void afterwards', async (t) => {
  const phone = newPhone();
  const c = await ready();
  await c.post('/web/verify/send', { phone, next: '/web/' });
  const { code } = await codeSentTo(gw, `+86${phone}`);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => c.post('/web/verify', { phone, code: wrong, next: '/web/' })),
  );
  t.true(answers.every((a) => a.status === 422));
  t.is(
    answers.filter((a) => /还可以再试/.test(a.html)).length,
    2,
    'attempts 1 and 2 say how many are left; the 3rd voids the code',
  );
  const right = await c.post('/web/verify', { phone, code, next: '/web/' });
  t.is(right.status, 422);
  t.regex(right.html, /验证码已失效或错误次数过多/);
  t.false(c.cookies.has('web_session'));
});

test('when the right code is entered, then the phone is signed in once with an httpOnly session cookie and the code is used up', async (t) => {
  const phone = newPhone();
  const c = await ready();
  const sent = await c.post('/web/verify/send', { phone, next: '/web/letters' });
  t.regex(sent.html, /验证码已发送至139\*\*\*\*\d{4}/);
  const { code } = await codeSentTo(gw, `+86${phone}`);
  const row = (
    await sql`select * from web_phone_codes where phone_hash = ${gw.services.pii.lookupHash(`+86${phone}`)}`.execute(
      gw.services.db,
    )
  ).rows[0];
  t.truthy(row);
  t.false(JSON.stringify(row).includes(code), 'only a hash of the code is stored');
  const r = await fetch(`${gw.url}/web/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': c.address! },
    body: new URLSearchParams({ _csrf: c.csrf, phone, code, next: '/web/letters' }),
  });
  t.is(r.status, 303);
  t.is(r.headers.get('location'), '/web/letters');
  const cookie = r.headers.getSetCookie().find((s) => s.startsWith('web_session='));
  t.regex(cookie!, /httponly/i);
  t.regex(cookie!, /samesite=lax/i);
  const again = await c.post('/web/verify', { phone, code, next: '/web/' });
  t.is(again.status, 422, 'a code is used once');
});

test('when a session cookie is altered, then it signs nobody in', async (t) => {
  const phone = newPhone();
  const c = await ready();
  await c.post('/web/verify/send', { phone, next: '/web/' });
  const { code } = await codeSentTo(gw, `+86${phone}`);
  await c.post('/web/verify', { phone, code, next: '/web/' });
  const [data, sig] = c.cookies.get('web_session')!.split('.');
  // Another phone in place of the sealed one, the expiry kept: the signature no longer matches.
  const until = Buffer.from(data!, 'base64url').toString().split('|')[1]!;
  const other = Buffer.from(`+8613900000000|${until}`).toString('base64url');
  c.cookies.set('web_session', `${other}.${sig}`);
  const page = await c.get('/web/letters');
  t.regex(page.html, /验证手机号/);
});
