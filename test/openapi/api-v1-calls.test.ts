// Every call the /api/v1 document describes, made against the running gateway with data that makes it succeed, and
// with the problems a case store runs into (no key, a key without the scope, an unknown id, a bad body): each answer's
// status must be documented and its body must match the schema documented for that status.
import test from 'ava';
import { ensureApiKey } from '../../gateway/http/api-auth.js';
import { applyDeliveryReport } from '../../gateway/outbound/reports.js';
import { eventually, startTestGateway, TEST_API_KEY, type TestGateway } from '../_support/gateway.js';
import { pngBytes, photoForm } from '../channels/wechat-mp/_mp.js';
import { letterJson } from '../mp/_session.js';
import { documentCaller, documentedOperations, type OpenApiDoc } from './_document-calls.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SURVEY_DELAY_SECONDS: '0' });
});
test.after.always(async () => {
  await gw?.stop();
});

const READ_ONLY_KEY = 'test-read-only-api-key-0123456789abcdef';
const unknownId = '00000000-0000-4000-8000-000000000000';

/** A letter sent in the mini-program with a photo, once the reference case store accepted it. */
async function mpLetter(): Promise<{ id: string; serial: string }> {
  const mp = async (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const r = await fetch(`${gw.url}/mp${path}`, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    return (await r.json()) as Record<string, string>;
  };
  const { token } = await mp('/session', { method: 'POST', json: { code: `dev:api-v1-${Date.now()}` } });
  const upload = await mp('/uploads', { method: 'POST', token, body: photoForm(pngBytes(), 'p.png', 'image/png') });
  const sent = await mp('/letters', { method: 'POST', token, json: letterJson({ uploadIds: [upload.uploadId] }) });
  const id = sent.letterId!;
  const serial = await eventually(
    async () =>
      (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', id).executeTakeFirst())?.serial ??
      undefined,
    30_000,
    'the letter to be accepted',
  );
  return { id, serial };
}

test('when every documented /api/v1 call is made against the running gateway, then each answer is one the document describes', async (t) => {
  const doc = (await (await fetch(`${gw.url}/api/v1/openapi.json`)).json()) as OpenApiDoc;
  const { call, made, problems } = documentCaller(t, doc, `${gw.url}/api/v1`, { token: TEST_API_KEY });
  await ensureApiKey(gw.services.db, READ_ONLY_KEY, 'read only', ['letters:read']);

  t.is((await call('GET /openapi.json', '/openapi.json')).status, 200);

  // A case that came by phone, registered for SMS follow-up; again with the same content; with a bad body.
  const phoneCase = {
    origin: 'phone',
    serial: `CD20261130${String(Date.now()).slice(-6)}`,
    phone: '13712345678',
    kind: 'complaint',
    summary: '市民来电反映春熙路附近夜间施工噪音扰民，希望尽快处理。',
    receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    smsConsent: true,
  };
  const registered = await call('POST /letters', '/letters', { json: phoneCase });
  t.is(registered.status, 201);
  t.is((await call('POST /letters', '/letters', { json: phoneCase })).status, 200);
  t.is((await call('POST /letters', '/letters', { json: { ...phoneCase, smsConsent: false } })).status, 422);
  t.is((await call('POST /letters', '/letters', { json: { ...phoneCase, fax: '1' } })).status, 422);
  t.is((await call('POST /letters', '/letters', { raw: '{"origin":' })).status, 400);
  t.is(
    (await call('POST /letters', '/letters', { raw: 'origin=phone', headers: { 'content-type': 'text/plain' } }))
      .status,
    415,
  );
  t.is((await call('POST /letters', '/letters', { json: phoneCase, token: null })).status, 401);
  t.is((await call('POST /letters', '/letters', { json: phoneCase, token: READ_ONLY_KEY })).status, 403);
  const registeredId = String(registered.body.letterId);

  // The evening survey run over the registered letter, and its progress.
  const batch = await call('POST /surveys/batch', '/surveys/batch', { json: { letterIds: [registeredId] } });
  t.is(batch.status, 202);
  t.is((await call('POST /surveys/batch', '/surveys/batch', { json: { letterIds: [] } })).status, 422);
  t.is((await call('POST /surveys/batch', '/surveys/batch', { json: { letterIds: [unknownId] } })).status, 403);
  const batchId = String(batch.body.batchId);
  t.is((await call('GET /surveys/batches/{id}', `/surveys/batches/${batchId}`)).status, 200);
  t.is((await call('GET /surveys/batches/{id}', `/surveys/batches/${unknownId}`)).status, 404);
  t.is((await call('GET /surveys/batches/{id}', `/surveys/batches/${batchId}`, { token: null })).status, 401);

  // A letter from the mini-program: a reply, a status with case facts, its survey.
  const letter = await mpLetter();
  const replies = `/letters/${letter.id}/replies`;
  const reply = await call('POST /letters/{id}/replies', replies, {
    json: { text: '您好，路灯已安排维修。' },
    headers: { 'idempotency-key': 'reply-1' },
  });
  t.is(reply.status, 202);
  t.is(
    (
      await call('POST /letters/{id}/replies', replies, {
        json: { text: '另一条答复。' },
        headers: { 'idempotency-key': 'reply-1' },
      })
    ).status,
    409,
  );
  t.is((await call('POST /letters/{id}/replies', replies, { json: { text: '' } })).status, 422);
  t.is(
    (await call('POST /letters/{id}/replies', replies, { json: { text: 'x' }, headers: { 'idempotency-key': 'ü' } }))
      .status,
    400,
  );
  t.is(
    (await call('POST /letters/{id}/replies', `/letters/${unknownId}/replies`, { json: { text: '您好。' } })).status,
    404,
  );
  const status = `/letters/${letter.id}/status`;
  t.is(
    (await call('POST /letters/{id}/status', status, { json: { status: 'in_progress', department: '锦江区城管局' } }))
      .status,
    200,
  );
  t.is((await call('POST /letters/{id}/status', status, { json: { resolved: true } })).status, 200);
  t.is((await call('POST /letters/{id}/status', status, { json: {} })).status, 422);
  t.is(
    (await call('POST /letters/{id}/status', `/letters/${unknownId}/status`, { json: { resolved: true } })).status,
    404,
  );
  // No survey to withdraw yet.
  const withdraw = `/letters/${letter.id}/survey/withdraw`;
  const withdrawOp = 'POST /letters/{id}/survey/withdraw';
  t.is((await call(withdrawOp, withdraw, { json: {} })).status, 409);
  const surveys = `/letters/${letter.id}/surveys`;
  t.is((await call('POST /letters/{id}/surveys', surveys)).status, 202);
  t.is((await call('POST /letters/{id}/surveys', surveys)).status, 200);
  t.is((await call('POST /letters/{id}/surveys', `/letters/${unknownId}/surveys`)).status, 404);
  t.is((await call('POST /letters/{id}/surveys', surveys, { token: READ_ONLY_KEY })).status, 403);
  // Withdrawn, and again (the same answer); unknown; a bad body; read-only key.
  t.is((await call(withdrawOp, withdraw, { json: { reason: '案件重新办理' } })).status, 200);
  t.is((await call(withdrawOp, withdraw)).status, 200);
  t.is((await call(withdrawOp, `/letters/${unknownId}/survey/withdraw`)).status, 404);
  t.is((await call(withdrawOp, withdraw, { json: { reason: '' } })).status, 422);
  t.is((await call(withdrawOp, withdraw, { raw: '{"reason":' })).status, 400);
  t.is((await call(withdrawOp, withdraw, { token: READ_ONLY_KEY })).status, 403);

  // Reading back, once the reply was tried: the letter with its deliveries and attempts, by id and by serial.
  const deliveryId = String(reply.body.deliveryId);
  await eventually(
    async () =>
      (await gw.services.db
        .selectFrom('delivery_attempts')
        .select('id')
        .where('delivery_id', '=', deliveryId)
        .executeTakeFirst()) ?? undefined,
    30_000,
    'the reply to be tried',
  );
  const view = await call('GET /letters/{id}', `/letters/${letter.id}`);
  t.is(view.status, 200);
  t.true((view.body.deliveries as unknown[]).length >= 2, 'the receipt and the reply');
  t.truthy(view.body.survey);
  // The registered letter's SMS receipt, sent and then confirmed by the provider's delivery report.
  const receipt = await eventually(
    async () =>
      (await gw.services.db
        .selectFrom('deliveries')
        .select('id')
        .where('letter_id', '=', registeredId)
        .where('status', '=', 'sent')
        .executeTakeFirst()) ?? undefined,
    30_000,
    'the SMS receipt to be sent',
  );
  await applyDeliveryReport(gw.services.db, {
    channel: 'sms',
    deliveryId: receipt.id,
    outcome: 'delivered',
    at: new Date(),
  });
  const registeredView = await call('GET /letters/{id}', `/letters/${registeredId}`);
  t.is(registeredView.status, 200);
  const outcomes = (registeredView.body.deliveries as { attempts: { outcome: string }[] }[]).flatMap((d) =>
    d.attempts.map((a) => a.outcome),
  );
  t.true(outcomes.includes('report:delivered'), outcomes.join(', '));
  t.is((await call('GET /letters/{id}', `/letters/${unknownId}`)).status, 404);
  t.is((await call('GET /letters/{id}', '/letters/not-a-uuid')).status, 404);
  const found = await call('GET /letters', `/letters?serial=${letter.serial}`);
  t.is(found.status, 200);
  t.is((found.body.letters as unknown[]).length, 1);
  t.is((await call('GET /letters', '/letters?serial=CD20990101999999')).status, 200);
  t.is((await call('GET /letters', '/letters')).status, 422);
  t.is((await call('GET /letters', `/letters?serial=${letter.serial}`, { token: 'x'.repeat(40) })).status, 401);
  t.is((await call('GET /deliveries/{id}', `/deliveries/${deliveryId}`)).status, 200);
  t.is((await call('GET /deliveries/{id}', `/deliveries/${unknownId}`)).status, 404);

  // Statistics over what happened.
  t.is((await call('GET /stats', '/stats')).status, 200);
  for (const groupBy of ['topic', 'region', 'department', 'origin'])
    t.is((await call('GET /stats', `/stats?groupBy=${groupBy}`)).status, 200, groupBy);
  t.is((await call('GET /stats', '/stats?groupBy=planet')).status, 422);
  t.is((await call('GET /stats', '/stats?from=2026-13-01')).status, 422);
  t.is((await call('GET /stats', '/stats', { token: null })).status, 401);

  const documented = documentedOperations(doc);
  t.deepEqual(
    documented.filter((op) => !made.has(op)),
    [],
    'documented operations never answered with success',
  );
  t.deepEqual(
    documented.filter((op) => op !== 'GET /openapi.json' && !problems.has(op)),
    [],
    'documented operations never answered with a problem',
  );
});

test('when the gateway does not serve the mini-program, then its document and reference page are not served either', async (t) => {
  const plain = await startTestGateway({ CHANNELS: 'sms' });
  try {
    t.is((await fetch(`${plain.url}/mp/session`, { method: 'POST' })).status, 404, 'no /mp routes');
    t.is((await fetch(`${plain.url}/mp/openapi.json`)).status, 404);
    t.is((await fetch(`${plain.url}/api-docs/mp/`)).status, 404);
    t.is((await fetch(`${plain.url}/api-docs/mp/init.js`)).status, 404);
    const doc = (await (await fetch(`${plain.url}/api/v1/openapi.json`)).json()) as { info: { description: string } };
    t.false(doc.info.description.includes('/mp/openapi.json'), 'the /api/v1 document does not link it');
    t.is((await fetch(`${plain.url}/api-docs/`)).status, 200);
    t.is((await fetch(`${gw.url}/mp/openapi.json`)).status, 200, 'a gateway with the mini-program serves it');
  } finally {
    await plain.stop();
  }
});
