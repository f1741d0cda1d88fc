import test from 'ava';
import type Router from '@koa/router';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { createApp } from '../../gateway/app.js';
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
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }>;
        };
      }
    >
  >;
}
const fetchDoc = async () => {
  const r = await fetch(`${gw.url}/api/v1/openapi.json`);
  return { status: r.status, doc: (await r.json()) as Doc };
};

/** `METHOD /path` of every route the real app serves under /api/v1, read from its routers. */
const servedRoutes = () =>
  routesUnder(
    '/api/v1',
    createApp(gw.services, new Map(), { workersRunning: () => true }).middleware.map(
      (mw) => (mw as { router?: Router }).router,
    ),
  );

test('when the OpenAPI document is fetched, then it is a valid OpenAPI 3.1 document', async (t) => {
  const { status, doc } = await fetchDoc();
  t.is(status, 200);
  await assertValidOpenApi31(t, doc);
});

test('when a route is served under /api/v1, then the document describes it, and nothing it describes is missing', async (t) => {
  const { doc } = await fetchDoc();
  assertDescribesServed(t, doc, servedRoutes(), 10);
});

test('when the document describes a request body, then it is the schema the endpoint validates with', async (t) => {
  const { doc } = await fetchDoc();
  const registration = doc.paths['/letters']!.post!.requestBody!.content['application/json']!.schema;
  t.deepEqual([...(registration.required ?? [])].sort(), ['origin', 'phone', 'receivedAt', 'serial', 'summary']);
  t.truthy(registration.properties?.smsConsent);
  // A field the document does not know is refused by the endpoint (the schema is strict on both sides).
  const r = await gw.api('/api/v1/letters', {
    method: 'POST',
    json: {
      origin: 'phone',
      serial: 'S1',
      phone: '13800138000',
      summary: 'x',
      receivedAt: new Date().toISOString(),
      smsConsent: true,
      fax: '1',
    },
  });
  t.is(r.status, 422);
  t.like(await r.json(), { code: 'request_invalid' });
  const batch = doc.paths['/surveys/batch']!.post!.requestBody!.content['application/json']!.schema as {
    properties: { letterIds: { maxItems: number } };
  };
  t.is(batch.properties.letterIds.maxItems, 1000);
});

test('when the reference page is opened, then it and its assets come from the gateway itself', async (t) => {
  const page = await fetch(`${gw.url}/api-docs/`);
  t.is(page.status, 200);
  const html = await page.text();
  t.true(html.includes('lang="zh-CN"'));
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  t.true(refs.length >= 3);
  t.true(
    refs.every((u) => u.startsWith('/api-docs/')),
    refs.join(', '),
  );
  for (const u of refs) {
    const r = await fetch(gw.url + u).catch((err: unknown) => {
      throw new Error(`${u}: ${String((err as { cause?: unknown }).cause)}`);
    });
    t.is(r.status, 200, u);
    t.true((await r.arrayBuffer()).byteLength > 0, u);
  }
  const init = await (await fetch(`${gw.url}/api-docs/init.js`)).text();
  t.true(init.includes('/api/v1/openapi.json'));
  t.is((await fetch(`${gw.url}/api-docs/package.json`)).status, 404, 'only the listed assets are served');
});
