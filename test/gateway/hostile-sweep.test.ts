// test-worker: alone (thousands of requests against one gateway: grouped with others, it would hold their worker back).
// Every route the gateway serves, read from its real routers, called by each kind of caller (anyone, staff, the case
// store, a mini-program citizen, a web mailbox citizen, signed providers) with hostile input: odd path parameters and
// queries, broken and deep bodies, and bodies first grown until the route's validation accepts them, then spoiled one
// field at a time. No answer may be a 5xx, and the gateway must still be ready afterwards. SWEEP_VERBOSE=1 logs the
// bodies grown for each route, and the last answer of those that never got past validation.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import { createApp } from '../../gateway/app.js';
import { createChannels } from '../../gateway/channels/registry.js';
import { createMetrics } from '../../gateway/observability/metrics.js';
import { mapLimited } from '../../gateway/lib/map-limited.js';
import { eventually, TEST_API_KEY, type TestGateway } from '../_support/gateway.js';
import { OA, pushXml, signedPush } from '../_support/wechat-oa.js';
import { startConsoleGateway, type StaffClient } from '../admin/_staff.js';
import { SMS_PUSH_TOKEN } from '../channels/sandbox/_sandbox.js';
import { Citizen, letterForm, newPhone, verify } from '../channels/web/_web.js';
import { sandboxSession } from '../mp/_session.js';
import {
  growValidBody,
  leafPaths,
  schemaFieldNames,
  setAt,
  sourceFiles,
  sourceText,
  type Json,
  type Problem,
} from './_valid-body.js';

let gw: TestGateway;
let admin: StaffClient;
let mpToken: string;
let web: Citizen;

test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({
    SMS_PUSH_TOKEN,
    TRUSTED_PROXIES: '127.0.0.1',
    // The official account's push door is mounted once the account is configured (its API is not reached here).
    WECHAT_OA_APPID: OA.appId,
    WECHAT_OA_SECRET: OA.secret,
    WECHAT_OA_TOKEN: OA.token,
    WECHAT_OA_AES_KEY: OA.aesKey,
  }));
  mpToken = (await sandboxSession(gw, 'sweep')).token;
  web = new Citizen(gw);
  const signedIn = await verify(web, newPhone());
  if (signedIn.status !== 303) throw new Error(`web sign-in failed: ${signedIn.status}`);
});
test.after.always(async () => {
  await gw?.stop();
});

interface Route {
  method: string;
  path: string;
}

/** `METHOD path` of every route the real app serves, with every channel mounted. */
function servedRoutes(): Route[] {
  // A registry of its own: mounting the channels again registers their metrics again.
  const services = { ...gw.services, metrics: createMetrics() };
  const app = createApp(services, createChannels(services), { workersRunning: () => true });
  const routes = new Map<string, Route>();
  for (const mw of app.middleware)
    for (const layer of (mw as { router?: Router }).router?.stack ?? [])
      for (const method of layer.methods)
        if (method !== 'HEAD') routes.set(`${method} ${layer.path}`, { method, path: String(layer.path) });
  return [...routes.values()];
}

/** Who may call a route for real, by its prefix: the callers that get past authentication. */
type CallerName = 'anyone' | 'staff' | 'case-store' | 'mini-program' | 'web' | 'sms-provider';
function callerFor(path: string): CallerName {
  if (path.startsWith('/admin/api/') || path.startsWith('/sandbox/case-store') || path.startsWith('/sandbox/outbox'))
    return 'staff';
  if (path.startsWith('/api/v1/')) return 'case-store';
  if (path.startsWith('/mp/')) return 'mini-program';
  if (path.startsWith('/web/')) return 'web';
  if (path.startsWith('/sms/')) return 'sms-provider';
  return 'anyone';
}

// Routes whose success ends the session the rest of the sweep calls with: called by anyone only.
const endsTheSession = new Set(['POST /admin/api/logout', 'POST /admin/api/password', 'POST /web/logout']);

const hostileSegments = [
  '0190a0a0-0000-7000-8000-000000000000',
  'not-a-uuid',
  '%00',
  '%ED%A0%80',
  '%FF%FE',
  '%F0%9F%98%80',
  '-1',
  '99999999999999999999999',
  '1e309',
  'x'.repeat(3000),
  '..%2F..%2Fpackage.json',
  '%2e%2e',
  '__proto__',
  'constructor',
  '2026-13',
  'LTR-20261130-000001',
];

const hostileQuery = [
  'page=-1&pageSize=1e309&limit=99999999999999999999&offset=-5&size=0&per=NaN',
  'from=0000-00-00&to=%2B275760-09-14&since=x&until=2026-02-30&month=2026-13&year=99999&day=0&date=%00',
  'q=%00%ED%A0%80&search=%25&status=__proto__&channel=x&kind=x&sort=%3Bdrop&order=x&cursor=%FF&format=x',
  'recipient=%00&phone=%00&serial=%00&code=%00&topic=__proto__&region=x&mailbox=x&group=x&by=x&locale=x',
  'page=1&page=2&from=a&from=b&status=a&status=b&channel=a&channel=b&limit=1&limit=x',
  `q=${'x'.repeat(6000)}&token=${'y'.repeat(3000)}`,
];

/** Strings that pass a `string` check and must still never reach PostgreSQL or a template unhandled. */
const hostileStrings = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(100_000),
  '',
  '   ',
  '0000-00-00',
  '+275760-09-13T00:00:00.000Z',
  '2026-02-30',
  '-1',
  '1e309',
  '99999999999999999999',
  '\u202e\u200b',
  '../../package.json',
  '<script>alert(1)</script>{{x}}${x}',
  "'; drop table letters; --",
  '🀄'.repeat(3000),
  '=HYPERLINK("https://example.com","x")',
  '\t=1+1',
];
const hostileNumbers = [1e308, -1e308, -1, 0, 2 ** 31, 2 ** 53 + 2, 0.5, 5e-324];

interface Body {
  type?: string;
  text: string;
}
const json = (v: unknown): Body => ({ type: 'application/json', text: JSON.stringify(v) });
const brokenBodies: Body[] = [
  { text: '' },
  { type: 'application/json', text: '' },
  { type: 'application/json', text: '{"a":' },
  { type: 'application/json', text: '['.repeat(100_000) + ']'.repeat(100_000) },
  { type: 'application/json', text: '{"a":"\\u0000\\ud800"}' },
  json(null),
  json([]),
  json(42),
  json('\u0000'),
  { type: 'application/json', text: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' },
  { type: 'application/json; charset=utf-16', text: '{"a":"\u00ff\u00fe"}' },
  { type: 'application/json', text: `"${'x'.repeat(3 * 1024 * 1024)}"` },
  {
    type: 'text/xml',
    text: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><xml>&b;</xml>',
  },
  { type: 'text/xml', text: '<xml>' + '<a>'.repeat(50_000) },
  { type: 'application/x-www-form-urlencoded', text: 'a=%00&b=%ED%A0%80&c[d][e]=1&__proto__[x]=1' },
  { type: 'multipart/form-data; boundary=zz', text: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb' },
  { type: 'multipart/form-data', text: 'no boundary' },
];

interface Answered {
  request: string;
  status: number;
  detail: string;
  body: string;
  location?: string | null;
}

async function send(
  caller: CallerName,
  method: string,
  path: string,
  body?: Body,
  extraHeaders: Record<string, string> = {},
): Promise<Answered> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (body?.type) headers['content-type'] = body.type;
  let url = gw.url + path;
  if (caller === 'staff') {
    headers.cookie = admin.cookie;
    headers['x-csrf-token'] = admin.csrf;
  } else if (caller === 'case-store') headers.authorization = `Bearer ${TEST_API_KEY}`;
  else if (caller === 'mini-program') headers.authorization = `Bearer ${mpToken}`;
  else if (caller === 'web') {
    headers.cookie = [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    headers['x-csrf-token'] = web.csrf;
  } else if (caller === 'sms-provider') url += `${path.includes('?') ? '&' : '?'}token=${SMS_PUSH_TOKEN}`;
  const request = `${caller} ${method} ${path.slice(0, 120)}${body ? ` [${(body.type ?? '-').slice(0, 30)}] ${body.text.slice(0, 80)}` : ''}`;
  try {
    const r = await fetch(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body?.text,
      redirect: 'manual',
    });
    const text = await r.text();
    return { request, status: r.status, detail: text.slice(0, 300), body: text, location: r.headers.get('location') };
  } catch (err) {
    // The gateway hung up instead of answering: as bad as a 500.
    return { request, status: 599, detail: String(err), body: '' };
  }
}

const withParams = (path: string, value: string) => path.replace(/:\w+/g, value);
const fixedParams = (path: string) => withParams(path, hostileSegments[0]!);

test('when every route gets hostile parameters, queries and bodies from every kind of caller, then no answer is a 5xx and the gateway stays ready', async (t) => {
  const routes = servedRoutes();
  // The sweep must see the whole surface: every channel's door and every API.
  for (const p of [
    '/wechat/oa',
    '/sms/aliyun/uplink',
    '/mp/letters',
    '/web/drafts',
    '/api/v1/letters',
    '/admin/api/letters',
  ])
    t.true(
      routes.some((r) => r.path === p),
      `${p} is served`,
    );
  const calls: (() => Promise<Answered>)[] = [];
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const callers: CallerName[] =
      callerFor(r.path) === 'anyone' || endsTheSession.has(key) ? ['anyone'] : ['anyone', callerFor(r.path)];
    for (const caller of callers) {
      for (const segment of r.path.includes(':') ? hostileSegments : [])
        calls.push(() =>
          send(caller, r.method, withParams(r.path, segment), r.method === 'GET' ? undefined : json({})),
        );
      if (r.method === 'GET')
        for (const q of hostileQuery) calls.push(() => send(caller, 'GET', `${fixedParams(r.path)}?${q}`));
      else for (const b of brokenBodies) calls.push(() => send(caller, r.method, fixedParams(r.path), b));
    }
  }
  const answers = await mapLimited(calls, 8, (c) => c());
  const failed = answers.filter((a) => a.status >= 500).map(({ body: _body, ...a }) => a);
  t.deepEqual(failed, [], `${failed.length} of ${answers.length} answers were 5xx`);
  t.is((await fetch(`${gw.url}/readyz`)).status, 200);
});

/** Values that replace one leaf of an accepted body: odd strings for strings, odd numbers for numbers. */
function spoilersFor(value: Json): Json[] {
  if (typeof value === 'number') return [...hostileNumbers, '1', 'x'];
  if (typeof value === 'string') return hostileStrings;
  return ['x', 1, 'a\u0000b'];
}

/** `body` with the values the grower made up replaced by new ones of the same shape: a new name, not one taken. */
function freshened(body: Json): Json {
  const tag = randomUUID().slice(0, 8);
  return leafPaths(body).reduce<Json>((b, leaf) => {
    if (leaf.value === 'sweep-value-01') return setAt(b, leaf.path, `sweep-${tag}`);
    if (leaf.value === 'x') return setAt(b, leaf.path, `x${tag}`);
    return b;
  }, body);
}

function problemsOf(a: Answered): Problem[] | undefined {
  try {
    return (JSON.parse(a.body) as { problems?: Problem[] }).problems;
  } catch {
    return undefined;
  }
}

test('when a body the route accepts has one field spoiled at a time, or comes twenty times at once, then no answer is a 5xx', async (t) => {
  const routes = servedRoutes().filter(
    (r) =>
      r.method !== 'GET' &&
      !endsTheSession.has(`${r.method} ${r.path}`) &&
      ['staff', 'case-store', 'mini-program'].includes(callerFor(r.path)),
  );
  const fieldNames = schemaFieldNames();
  const grown: string[] = [];
  const failed: Answered[] = [];
  let sent = 0;
  await mapLimited(routes, 4, async (r) => {
    const caller = callerFor(r.path);
    const path = fixedParams(r.path);
    const post = async (body: Json) => {
      sent++;
      const a = await send(caller, r.method, path, json(body), { 'idempotency-key': randomUUID() });
      if (a.status >= 500) failed.push(a);
      return a;
    };
    let last = '';
    const valid = await growValidBody(async (body) => {
      const a = await post(body);
      last = `${a.status} ${JSON.stringify(body).slice(0, 300)} → ${a.detail}`;
      return { status: a.status, problems: a.status === 422 ? problemsOf(a) : undefined };
    }, fieldNames);
    if (valid === undefined) {
      if (process.env.SWEEP_VERBOSE) t.log(`not grown: ${r.method} ${r.path}: ${last}`);
      return;
    }
    grown.push(`${r.method} ${r.path} ${JSON.stringify(valid).slice(0, 200)}`);
    for (const leaf of leafPaths(valid))
      await mapLimited(spoilersFor(leaf.value), 4, (spoiler) => post(setAt(valid, leaf.path, spoiler)));
    // The same new thing asked for twenty times at once, under twenty idempotency keys and under one: unique keys,
    // guards and replays decide in one statement or under a lock, so a race ends in a 2xx, a 4xx or a replay.
    const fresh = freshened(valid);
    const once = randomUUID();
    for (const keyOf of [() => randomUUID(), () => once]) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => send(caller, r.method, path, json(fresh), { 'idempotency-key': keyOf() })),
      );
      sent += answers.length;
      failed.push(...answers.filter((a) => a.status >= 500));
    }
  });
  t.log(`${grown.length} of ${routes.length} routes accepted a grown body; ${sent} requests`);
  if (process.env.SWEEP_VERBOSE) t.log(grown.sort().join('\n'));
  t.deepEqual(failed, [], `${failed.length} answers were 5xx`);
  // Most routes' validation must have been passed, or the spoiling reached nothing.
  t.true(grown.length >= routes.length / 2, `only ${grown.join(', ')}`);
  t.is((await fetch(`${gw.url}/readyz`)).status, 200);
});

/** Signed and encrypted as WeChat sends them, so that the content gets past the signature. */
const oaPushes: string[] = [
  'hello, not xml',
  '<xml></xml>',
  '<xml>' + '<a>'.repeat(20_000) + '</xml>',
  '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]><xml><FromUserName>&b;</FromUserName></xml>',
  pushXml({ FromUserName: 'o\u0000x', CreateTime: 1764460800, MsgType: 'text', Content: 'a\u0000b', MsgId: '1' }),
  pushXml({ FromUserName: 'o_sweep', CreateTime: '99999999999999999999', MsgType: 'text', Content: 'x', MsgId: 'x' }),
  pushXml({ FromUserName: 'o_sweep', CreateTime: -1, MsgType: 'text', MsgId: '99999999999999999999999' }),
  pushXml({ FromUserName: 'x'.repeat(10_000), CreateTime: 1764460800, MsgType: 'text', Content: 'x', MsgId: '2' }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'text',
    Content: 'x'.repeat(100_000),
    MsgId: '3',
  }),
  pushXml({ FromUserName: 'o_sweep', CreateTime: 1764460800, MsgType: '\u202e', MsgId: '4' }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'image',
    PicUrl: 'javascript:x',
    MediaId: '',
    MsgId: '5',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'voice',
    MediaId: '\u0000',
    Format: 'x',
    MsgId: '6',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'location',
    Location_X: 'x',
    Location_Y: '1e309',
    Scale: '-1',
    Label: 'a\u0000',
    MsgId: '7',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'link',
    Title: '',
    Url: 'x'.repeat(5000),
    MsgId: '8',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460800,
    MsgType: 'event',
    Event: 'subscribe',
    EventKey: 'qrscene_\u0000',
  }),
  pushXml({ FromUserName: 'o_sweep', CreateTime: 1764460801, MsgType: 'event', Event: 'unsubscribe' }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460802,
    MsgType: 'event',
    Event: 'TEMPLATESENDJOBFINISH',
    MsgID: 'x',
    Status: '\u0000',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460803,
    MsgType: 'event',
    Event: 'LOCATION',
    Latitude: 'x',
    Longitude: '1e309',
  }),
  pushXml({
    FromUserName: 'o_sweep',
    CreateTime: 1764460804,
    MsgType: 'event',
    Event: 'subscribe_msg_popup_event',
    SubscribeMsgPopupEvent: '<List><TemplateId>x</TemplateId></List>',
  }),
  pushXml({ FromUserName: 'o_sweep', CreateTime: 1764460805, MsgType: 'event', Event: '\u0000'.repeat(100) }),
];

const smsItem = {
  phone_number: '13800138000',
  send_time: '2026-11-30 10:00:00',
  content: '投诉：路灯坏了',
  sign_name: '成都网络理政',
  dest_code: '1234',
  sequence_id: 1,
};
const smsReport = {
  phone_number: '13800138000',
  send_time: '2026-11-30 10:00:00',
  report_time: '2026-11-30 10:00:05',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: '123^0',
  out_id: '0190a0a0-0000-7000-8000-000000000000',
};
/** Each field of a valid item spoiled in turn, plus items of no shape at all. */
function spoiledItems(item: Record<string, Json>): Json[][] {
  const one = Object.keys(item).flatMap((key) =>
    [...hostileStrings.slice(0, 12), ...hostileNumbers.slice(0, 4), null, [], {}].map((v) => ({ ...item, [key]: v })),
  );
  return [...one.map((x) => [x]), [null, 1, 'x', [], {}], [item, { ...item, phone_number: 'a\u0000' }]];
}

test('when the channels get authenticated pushes and forms with hostile content, then no answer is a 5xx', async (t) => {
  const calls: (() => Promise<Answered>)[] = [];
  for (const xml of oaPushes)
    for (const mode of ['safe', 'compatible'] as const)
      calls.push(() => {
        const p = signedPush(xml, { mode });
        return send('anyone', 'POST', `/wechat/oa?${p.query}`, { type: 'text/xml', text: p.body });
      });
  for (const items of spoiledItems(smsItem))
    calls.push(() => send('sms-provider', 'POST', '/sms/aliyun/uplink', json(items)));
  for (const items of spoiledItems(smsReport))
    calls.push(() => send('sms-provider', 'POST', '/sms/aliyun/report', json(items)));
  // The web mailbox's forms, as its pages post them, with one field spoiled at a time.
  const form: Record<string, string> = {
    ...(Object.fromEntries(letterForm()) as Record<string, string>),
    phone: newPhone(),
    code: '123456',
    rating: '5',
    comment: 'x',
  };
  let address = 0;
  for (const path of ['/web/drafts', `/web/drafts/${hostileSegments[0]}/submit`, '/web/verify/send', '/web/verify'])
    for (const key of Object.keys(form))
      for (const value of hostileStrings) {
        // From addresses of their own, so that the per-address limits do not answer in the form's place.
        const from = { 'x-forwarded-for': `10.77.${address >> 8}.${address++ & 255}` };
        const fields = new URLSearchParams({ ...form, [key]: value, _csrf: web.csrf }).toString();
        calls.push(() => send('web', 'POST', path, { type: 'application/x-www-form-urlencoded', text: fields }, from));
      }
  const answers = await mapLimited(calls, 8, (c) => c());
  // The drafts the web mailbox stored with odd content are submitted: each must become a letter at the case store.
  const drafts = answers.filter((a) => a.request.startsWith('web POST /web/drafts ') && a.status === 303);
  t.true(drafts.length > 50, `${drafts.length} drafts stored`);
  const submitted = await mapLimited(drafts, 8, (d) =>
    send('web', 'POST', `${d.location!}/submit`, {
      type: 'application/x-www-form-urlencoded',
      text: new URLSearchParams({ _csrf: web.csrf }).toString(),
    }),
  );
  answers.push(...submitted);
  const failed = answers.filter((a) => a.status >= 500).map(({ body: _body, ...a }) => a);
  t.deepEqual(failed, [], `${failed.length} of ${answers.length} answers were 5xx`);
  const letterIds = submitted.map((a) => /\/web\/letters\/([0-9a-f-]{36})/.exec(a.location ?? '')?.[1]);
  t.deepEqual(
    submitted.filter((_, i) => !letterIds[i]).map((a) => `${a.status} ${a.detail}`),
    [],
    'every stored draft was submitted',
  );
  await eventually(
    async () => {
      const waiting = await gw.services.db
        .selectFrom('letters')
        .select('id')
        .where('id', 'in', letterIds as string[])
        .where('forward_state', '!=', 'forwarded')
        .execute();
      return waiting.length === 0 ? true : undefined;
    },
    60_000,
    'every submitted letter at the case store',
  );
  // The odd letters in every view staff, the case store and their writer have of them, in lists and in exports.
  const ids = letterIds as string[];
  const reason = `reason=${encodeURIComponent('核对')}`;
  const views = await Promise.all([
    ...ids.flatMap((id) => [
      send('staff', 'GET', `/admin/api/letters/${id}`),
      send('case-store', 'GET', `/api/v1/letters/${id}`),
      send('web', 'GET', `/web/letters/${id}`),
    ]),
    send('web', 'GET', '/web/letters'),
    send('staff', 'GET', '/admin/api/letters?limit=200'),
    send('staff', 'GET', `/admin/api/letters?q=${encodeURIComponent('<script>')}`),
    send('staff', 'GET', '/admin/api/deliveries?limit=200'),
    send('staff', 'GET', `/admin/api/exports/letters?format=xlsx&${reason}`),
    send('staff', 'GET', `/admin/api/exports/deliveries?format=csv&${reason}`),
  ]);
  t.deepEqual(
    views.filter((a) => a.status !== 200).map(({ body: _body, ...a }) => a),
    [],
  );
  // The citizen's own pages are HTML: what they wrote is shown as text, never as markup.
  const pages = views.filter((a) => a.request.startsWith('web GET /web/letters'));
  t.true(
    pages.some((a) => a.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;')),
    'the odd title is shown, escaped',
  );
  t.false(pages.some((a) => a.body.includes('<script>alert(1)')));
  // No cell of the export starts what a spreadsheet would run as a formula, however the citizen began the title.
  const csv = await send('staff', 'GET', `/admin/api/exports/letters?format=csv&${reason}`);
  t.is(csv.status, 200);
  t.true(csv.body.includes(`'=HYPERLINK`), 'the title that began with = is in the export, defused');
  t.deepEqual(
    csv.body.split('\r\n').filter((line) => /(^|,)"?[=+\-@\t\r]/.test(line)),
    [],
  );
  // The signed pushes got past the signature: their content was judged, not their envelope.
  t.false(answers.slice(0, oaPushes.length * 2).some((a) => a.status === 401));
  t.is((await fetch(`${gw.url}/readyz`)).status, 200);
});

test('when a path holds an encoded NUL, then it stands for U+FFFD, and each route answers in its own words', async (t) => {
  t.is((await send('staff', 'GET', '/admin/api/templates/%00/%00/%00')).status, 404);
  const mine = await send('mini-program', 'POST', '/mp/messages/reply:a%00b/read');
  t.is(mine.status, 404);
  t.regex(mine.detail, /没有找到这条消息/);
  // A segment of a NUL alone is still a segment: not the list above it.
  t.is((await send('mini-program', 'GET', '/mp/public/letters/%00')).status, 404);
  t.is((await send('staff', 'GET', '/admin/api/letters/%00')).status, 404);
});

test('when a path names a property every object inherits, then it is not found', async (t) => {
  for (const path of ['/api-docs/constructor', '/api-docs/__proto__', '/api-docs/toString'])
    t.is((await send('anyone', 'GET', path)).status, 404, path);
  // The assets themselves are still served.
  t.is((await send('anyone', 'GET', '/api-docs/swagger-ui.css')).status, 200);
});

/** Every query parameter name the gateway reads: through its helpers (`textParam(ctx, 'from')`, …), directly
 *  (`ctx.query.letterId`), or through the schemas of the files that validate `ctx.query`. */
function queryNames(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles().filter((f) => f.text.includes('ctx.query'))) {
    for (const m of file.text.matchAll(/\(ctx, '(\w+)'|query\.(\w+)\b/g)) names.add((m[1] ?? m[2])!);
    if (/safeParse\(ctx\.query\)/.test(file.text)) for (const n of schemaFieldNames(file.text)) names.add(n);
  }
  for (const m of sourceText().matchAll(/\(ctx, '(\w+)'/g)) names.add(m[1]!);
  return [...names].sort();
}

test('when queries get odd values one name at a time, and date ranges reversed or ten thousand years long, then no answer is a 5xx', async (t) => {
  const names = queryNames();
  const ranges = [
    'from=0000-01-01&to=9999-12-31',
    'from=2026-12-01&to=2026-01-01',
    'from=2026-02-30&to=2026-02-31',
    'from=0000-01-01&to=0000-01-02',
    'from=2025-02-28&to=2025-02-29',
    'to=0001-01-05',
    'to=1900-01-05',
    'month=0000-01&year=9999',
  ];
  const calls: (() => Promise<Answered>)[] = [];
  for (const r of servedRoutes().filter((x) => x.method === 'GET')) {
    const caller = callerFor(r.path);
    const path = fixedParams(r.path);
    names.forEach((name, i) => {
      // A plain word in the wrong format for every name, and one of the odd strings, taken in turn.
      for (const value of ['x', hostileStrings[i % hostileStrings.length]!])
        calls.push(() => send(caller, 'GET', `${path}?${new URLSearchParams({ [name]: value }).toString()}`));
    });
    for (const range of ranges) calls.push(() => send(caller, 'GET', `${path}?${range}`));
  }
  const answers = await mapLimited(calls, 8, (c) => c());
  const failed = answers.filter((a) => a.status >= 500).map(({ body: _body, ...a }) => a);
  t.deepEqual(failed, [], `${failed.length} of ${answers.length} answers were 5xx`);
  t.is((await fetch(`${gw.url}/readyz`)).status, 200);
});

test('when a query date is not a day of the calendar, then the figures and lists answer 422 naming that field alone', async (t) => {
  const fields = async (caller: CallerName, path: string) => {
    const a = await send(caller, 'GET', path);
    return [a.status, (problemsOf(a) ?? []).map((p) => p.field)];
  };
  t.deepEqual(await fields('case-store', '/api/v1/stats?from=2026-02-30&to=2026-03-05'), [422, ['from']]);
  t.deepEqual(await fields('staff', '/admin/api/stats?from=2025-02-29'), [422, ['from']]);
  t.deepEqual(await fields('staff', '/admin/api/kpis?to=x'), [422, ['to']]);
  t.deepEqual(await fields('staff', '/admin/api/kpis?from=0000-01-01&to=0000-01-02'), [422, ['from', 'to']]);
  t.deepEqual(await fields('staff', '/admin/api/letters?from=2026-13-01'), [422, ['from']]);
  t.is((await send('staff', 'GET', '/admin/api/kpis?from=2024-02-29&to=2024-03-01')).status, 200);
  // A sandbox case-store filter that is no letter id (a serial typed into the box) finds nothing.
  const none = await send('staff', 'GET', '/admin/api/sandbox/case-store/letters?letterId=LTR-20261130-000001');
  t.deepEqual([none.status, JSON.parse(none.body)], [200, { letters: [] }]);
});

// Header values fetch can send (no control characters) that the gateway reads: the client address behind a trusted
// proxy, the request id it echoes, idempotency keys, languages, encodings, conditional and range requests.
const hostileHeaders: Record<string, string>[] = [
  { 'x-forwarded-for': 'x, 999.1.1.1, ::ffff:1.2.3.4, [::1]:80, ' + '1.1.1.1,'.repeat(500) },
  { 'x-forwarded-for': '', 'x-request-id': 'x'.repeat(5000) },
  { 'x-request-id': '\u00ff\u00fe%00', 'idempotency-key': 'x'.repeat(5000) },
  { 'idempotency-key': '', 'accept-language': 'zz-ZZ;q=x, *;q=-1, ' + 'a,'.repeat(1000) },
  { 'content-encoding': 'gzip', 'if-none-match': '"x"', 'if-modified-since': 'yesterday', range: 'bytes=-1-2' },
  { 'x-csrf-token': 'x'.repeat(5000), accept: '*/*;q=x' },
];
const hostileCredentials: Record<string, string>[] = [
  { authorization: 'Bearer ' + 'x'.repeat(10_000) },
  { authorization: 'Basic %00', cookie: 'x=' + 'y'.repeat(6000) },
  { authorization: 'Bearer', cookie: 'admin_session=%00; web_session=%ED%A0%80; admin_session=x' },
  { cookie: '=; ;; a=b=c; __proto__=1; constructor=2' },
];

test('when requests carry odd headers, cookies and credentials, then no answer is a 5xx', async (t) => {
  const calls: (() => Promise<Answered>)[] = [];
  for (const r of servedRoutes()) {
    const path = fixedParams(r.path);
    const body = r.method === 'GET' ? undefined : json({});
    const caller = endsTheSession.has(`${r.method} ${r.path}`) ? 'anyone' : callerFor(r.path);
    for (const headers of hostileHeaders) calls.push(() => send(caller, r.method, path, body, headers));
    for (const headers of hostileCredentials) calls.push(() => send('anyone', r.method, path, body, headers));
  }
  const answers = await mapLimited(calls, 8, (c) => c());
  const failed = answers.filter((a) => a.status >= 500).map(({ body: _body, ...a }) => a);
  t.deepEqual(failed, [], `${failed.length} of ${answers.length} answers were 5xx`);
});
