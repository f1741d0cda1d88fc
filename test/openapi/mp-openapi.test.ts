// The mini-program's OpenAPI document (/mp/openapi.json): a valid OpenAPI 3.1 document, describing exactly the /mp
// routes the app serves with the schemas they validate with, and every documented call made against the running
// sandbox gateway with each answer checked against what the document says of that status.
import test from 'ava';
import Router from '@koa/router';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { AppError } from '../../gateway/errors.js';
import { createMpApp } from '../../gateway/mp/index.js';
import { openApiRoutes } from '../../gateway/openapi/routes.js';
import { pngBytes, photoForm } from '../channels/wechat-mp/_mp.js';
import { letterJson } from '../mp/_session.js';
import { publish } from '../mp/_board.js';
import { documentCaller, documentedOperations } from './_document-calls.js';
import { assertDescribesServed, assertValidOpenApi31, routesUnder } from './_document-routes.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

interface Doc {
  openapi: string;
  info: { description: string };
  paths: Record<
    string,
    Record<
      string,
      {
        security: Record<string, string[]>[];
        parameters?: { name: string; in: string; required: boolean }[];
        requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
}
const fetchDoc = async (path = '/mp/openapi.json') => {
  const r = await fetch(gw.url + path);
  return { status: r.status, doc: (await r.json()) as Doc };
};

/**
 * `METHOD /path` (relative to /mp) of every route served under /mp/: the mini-program's app as its channel mounts it,
 * and the document's own route.
 */
function servedRoutes(): string[] {
  const mpRouter = new Router();
  createMpApp(gw.services, { api: null, citizenFacingError: () => new AppError('wechat_unavailable') }).mount(mpRouter);
  return routesUnder('/mp', [mpRouter, openApiRoutes(() => gw.url, { mp: true })]);
}

test('when the /mp document is fetched, then it is a valid OpenAPI 3.1 document', async (t) => {
  const { status, doc } = await fetchDoc();
  t.is(status, 200);
  await assertValidOpenApi31(t, doc);
});

test('when a route is served under /mp, then the document describes it, and nothing it describes is missing', async (t) => {
  const { doc } = await fetchDoc();
  assertDescribesServed(t, doc, servedRoutes(), 18);
});

test('when the document describes requests, then they are the schemas the routes validate with, session and upload included', async (t) => {
  const { doc } = await fetchDoc();
  const letter = doc.paths['/letters']!.post!;
  t.deepEqual(letter.security, [{ session: [] }]);
  t.deepEqual([...(letter.requestBody!.content['application/json']!.schema.required ?? [])].sort(), [
    'body',
    'clientKey',
    'kind',
    'mailboxId',
    'visibility',
  ]);
  t.deepEqual(doc.paths['/session']!.post!.security, [], 'logging in needs no session');
  t.deepEqual(doc.paths['/mailboxes']!.get!.security, [], 'the directory is public');
  const upload = doc.paths['/uploads']!.post!.requestBody!.content;
  t.deepEqual(Object.keys(upload), ['multipart/form-data']);
  t.deepEqual(upload['multipart/form-data']!.schema.required, ['file']);
  t.deepEqual(
    doc.paths['/public/letters']!.get!.parameters!.map((p) => `${p.in}:${p.name}`),
    ['query:page', 'query:q'],
  );
  t.truthy(doc.paths['/query']!.post!.responses['429'], 'the query budget is documented');
  t.truthy(doc.paths['/letters']!.get!.responses['401'], 'every call behind the session documents its 401');
  t.regex(doc.info.description, /Rate limits/);
  // A field the document does not know is refused by the route (the schema is strict on both sides).
  const session = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'dev:openapi-strict', extra: 1 }),
  });
  t.is(session.status, 422);
  t.like(await session.json(), { code: 'request_invalid' });
});

test('when the /mp reference page is opened, then it reads the /mp document, and each reference links the other', async (t) => {
  const page = await fetch(`${gw.url}/api-docs/mp/`);
  t.is(page.status, 200);
  const html = await page.text();
  t.true(html.includes('lang="zh-CN"'));
  t.true(html.includes('src="/api-docs/mp/init.js"'));
  t.true(html.includes('href="/api-docs/swagger-ui.css"'));
  t.true((await (await fetch(`${gw.url}/api-docs/mp/init.js`)).text()).includes("'/mp/openapi.json'"));
  t.true((await (await fetch(`${gw.url}/api-docs/init.js`)).text()).includes("'/api/v1/openapi.json'"));
  t.true((await fetchDoc('/api/v1/openapi.json')).doc.info.description.includes('(/api-docs/mp/)'));
  t.true((await fetchDoc()).doc.info.description.includes('(/api-docs/)'));
});

test('when every documented /mp call is made against the running app, then each answer is one the document describes', async (t) => {
  const { doc } = await fetchDoc();
  const { call, made } = documentCaller(t, doc, `${gw.url}/mp`);

  // Public calls.
  t.is((await call('GET /openapi.json', '/openapi.json')).status, 200);
  t.is((await call('GET /mailboxes', '/mailboxes')).status, 200);
  t.is((await call('GET /mailboxes', `/mailboxes?q=${encodeURIComponent('市长')}`)).status, 200);
  t.is((await call('GET /mailboxes', '/mailboxes?x=1')).status, 422);
  const cls = await call('GET /classification', '/classification');
  t.is(cls.status, 200);
  const etag = cls.headers.get('etag')!;
  t.is((await call('GET /classification', '/classification', { headers: { 'if-none-match': etag } })).status, 304);

  // The session, and what a call without one gets.
  t.is((await call('POST /session', '/session', { json: { code: 'not-a-dev-code' } })).status, 400);
  const session = await call('POST /session', '/session', { json: { code: `dev:openapi-${Date.now()}` } });
  t.is(session.status, 201);
  const token = String(session.body.token);
  t.is((await call('GET /letters', '/letters')).status, 401);
  t.is((await call('GET /letters', '/letters', { token: 'x'.repeat(40) })).status, 401);

  // A photo, a letter with it, the letter read back, a follow-up.
  const upload = await call('POST /uploads', '/uploads', { token, form: photoForm(pngBytes(), 'p.png', 'image/png') });
  t.is(upload.status, 201);
  t.is((await call('POST /uploads', '/uploads', { token, json: { file: 'x' } })).status, 415);
  const letterBody = letterJson({ uploadIds: [upload.body.uploadId] });
  const sent = await call('POST /letters', '/letters', { token, json: letterBody });
  t.is(sent.status, 201);
  t.is((await call('POST /letters', '/letters', { token, json: letterBody })).status, 200);
  t.is((await call('POST /letters', '/letters', { token, json: { ...letterBody, body: 'short' } })).status, 422);
  const letterId = String(sent.body.letterId);
  t.is((await call('GET /letters', '/letters', { token })).status, 200);
  t.is((await call('GET /letters/{id}', `/letters/${letterId}`, { token })).status, 200);
  t.is((await call('GET /letters/{id}', '/letters/00000000-0000-4000-8000-000000000000', { token })).status, 404);
  const followup = { clientKey: `fu-${Date.now()}`, text: '补充一下：晚上八点以后最黑。' };
  t.is(
    (await call('POST /letters/{id}/followups', `/letters/${letterId}/followups`, { token, json: followup })).status,
    201,
  );
  t.is(
    (await call('POST /letters/{id}/followups', `/letters/${letterId}/followups`, { token, json: followup })).status,
    200,
  );

  // Progress by serial and code, once the reference case store accepted the letter.
  const serial = await eventually(
    async () =>
      (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirst())
        ?.serial ?? undefined,
  );
  const code = String(sent.body.extractionCode);
  t.is((await call('POST /query', '/query', { token, json: { serial, code } })).status, 200);
  t.is((await call('POST /query', '/query', { token, json: { serial: 'CD20990101999999', code } })).status, 404);

  // The survey, started by the case store, answered in the app.
  t.is((await gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST' })).status, 202);
  const rating = `/letters/${letterId}/satisfaction`;
  t.is((await call('POST /letters/{id}/satisfaction', rating, { token, json: { score: 1 } })).status, 200);

  // Consents, the phone, the profile.
  t.is(
    (
      await call('POST /subscriptions', '/subscriptions', {
        token,
        json: { result: { 'unknown-template': 'accept', errMsg: 'requestSubscribeMessage:ok' } },
      })
    ).status,
    200,
  );
  t.is((await call('POST /phone', '/phone', { token, json: { code: 'dev:13800138000' } })).status, 200);
  t.is((await call('POST /phone', '/phone', { token, json: { code: 'dev:123' } })).status, 400);
  t.is((await call('GET /profile', '/profile', { token })).status, 200);

  // The message centre.
  const centre = await call('GET /messages', '/messages', { token });
  t.is(centre.status, 200);
  const first = (centre.body.messages as { id: string }[])[0]!;
  t.is(
    (await call('POST /messages/{id}/read', `/messages/${encodeURIComponent(first.id)}/read`, { token })).status,
    200,
  );
  t.is((await call('POST /messages/{id}/read', '/messages/reply:1/read', { token })).status, 404);
  const until = new Date().toISOString();
  t.is((await call('POST /messages/read', '/messages/read', { token, json: { until } })).status, 200);

  // The public board.
  await publish(gw, 1);
  const board = await call('GET /public/letters', '/public/letters?page=1', { token });
  t.is(board.status, 200);
  const ref = (board.body.letters as { ref: string }[])[0]!.ref;
  t.is((await call('GET /public/letters/{ref}', `/public/letters/${ref}`, { token })).status, 200);
  t.is((await call('GET /public/letters/{ref}', '/public/letters/nope', { token })).status, 404);
  t.is((await call('GET /public/letters', '/public/letters?page=0', { token })).status, 422);

  t.deepEqual(
    documentedOperations(doc).filter((op) => !made.has(op)),
    [],
    'documented operations never answered with success',
  );
});
