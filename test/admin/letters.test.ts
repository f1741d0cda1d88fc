import test from 'ava';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';
import { ADMIN_PASSWORD, staffClient, staffWithRole, type StaffClient } from './_staff.js';
import { backOffForAnHour, fakeCaseStore, type FakeCaseStore } from './_case-store.js';

let gw: TestGateway;
let admin: StaffClient;
let operator: StaffClient;
let caseStore: FakeCaseStore;
test.before(async () => {
  caseStore = await fakeCaseStore();
  gw = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    CASE_STORE_URL: caseStore.url,
    CASE_STORE_SECRET: 'case-store-secret-0123456789',
    FORWARD_STUCK_AFTER_SECONDS: '1',
  });
  admin = staffClient(gw);
  await admin.login('admin', ADMIN_PASSWORD);
  operator = await staffWithRole(gw, admin, 'operator', 'olga');
});
test.after.always(async () => {
  await gw?.stop();
  await caseStore?.close();
});

const letterRow = (id: string) =>
  gw.services.db.selectFrom('letters').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test.serial(
  'when the case store is down, then the letter shows as stuck, masked, and a retry once it is back forwards it',
  async (t) => {
    caseStore.mode = 'down';
    const { letterId } = await gw.services.intake.submit(sampleIntake());
    await eventually(async () => ((await letterRow(letterId)).stuck_at ? true : undefined), 30_000, 'stuck letter');
    await backOffForAnHour(gw.services.db, letterId);

    // An SMS sender's phone is stored as a token and encrypted: found by the full number's keyed hash.
    const list = (await (await operator.call('GET', '/letters?status=stuck&phone=13800138000')).json()) as {
      letters: { id: string; citizen_id: string }[];
    };
    const found = list.letters.find((l) => l.id === letterId);
    t.truthy(found);
    t.is(found!.citizen_id, '+86138****8000');

    const detailText = await (await operator.call('GET', `/letters/${letterId}`)).text();
    t.false(detailText.includes('13800138000'));
    const detail = JSON.parse(detailText) as {
      forwardAttempts: number;
      forwardLog: { outcome: string }[];
      sourceMessages: unknown[];
      stuck: boolean;
    };
    t.true(detail.stuck);
    t.true(detail.forwardLog.length > 0);
    t.is(detail.forwardLog[0]!.outcome, 'retry');
    t.is(detail.forwardAttempts, (await letterRow(letterId)).forward_attempts);
    t.is(detail.sourceMessages.length, 1);

    caseStore.mode = 'up';
    const retry = await operator.call('POST', `/letters/${letterId}/retry`);
    t.is(retry.status, 200);
    const row = await eventually(async () => {
      const r = await letterRow(letterId);
      return r.serial ? r : undefined;
    });
    t.is(row.forward_state, 'forwarded');
    t.is((await operator.call('POST', `/letters/${letterId}/retry`)).status, 409);
    const audit = (await (await admin.call('GET', `/audit?action=letter.retry&targetId=${letterId}`)).json()) as {
      entries: { staff: string }[];
    };
    t.is(audit.entries[0]!.staff, 'olga');
  },
);

test.serial(
  'when the case store rejects a letter, then staff can send it again and it is pending once more',
  async (t) => {
    caseStore.mode = 'rejecting';
    const { letterId } = await gw.services.intake.submit(sampleIntake());
    await eventually(async () => ((await letterRow(letterId)).forward_state === 'rejected' ? true : undefined));
    caseStore.mode = 'up';
    t.is((await operator.call('POST', `/letters/${letterId}/retry`)).status, 200);
    const row = await eventually(async () => {
      const r = await letterRow(letterId);
      return r.serial ? r : undefined;
    });
    t.is(row.status, 'accepted');
  },
);

test('when an admin reveals a phone, then the number is shown and the reveal is audited; an operator may not', async (t) => {
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  t.is((await operator.call('POST', `/letters/${letterId}/reveal-phone`)).status, 403);
  const r = await admin.call('POST', `/letters/${letterId}/reveal-phone`, { reason: '市民来电要求核实' });
  t.is(((await r.json()) as { phone: string }).phone, '+8613800138000');
  const audit = (await (await admin.call('GET', `/audit?action=letter.reveal_phone&targetId=${letterId}`)).json()) as {
    entries: unknown[];
  };
  t.is(audit.entries.length, 1);
});

test('when a failed delivery is resent, then a new delivery goes out and a second resend is refused', async (t) => {
  const [id] = await queueDeliveries(gw.services.db, [
    {
      letterId: null,
      channel: 'sms',
      recipient: '+8613900139000',
      kind: 'service',
      templateKey: 'reminder',
      variables: {},
    },
  ]);
  gw.services.wakeup.wake('deliveries');
  await eventually(async () =>
    (await gw.services.db.selectFrom('deliveries').select('status').where('id', '=', id!).executeTakeFirstOrThrow())
      .status === 'failed'
      ? true
      : undefined,
  );
  const failed = (await (await operator.call('GET', '/deliveries?status=failed&channel=sms')).json()) as {
    deliveries: { id: string; recipient: string }[];
  };
  t.is(failed.deliveries.find((d) => d.id === id)?.recipient, '+86139****9000');
  const saved = await operator.call('PUT', '/templates/sms/sms/reminder', {
    content: { templateCode: 'SMS_900100', params: {}, text: '请留意您的来信办理进度。' },
  });
  t.is(saved.status, 200);
  const resend = await operator.call('POST', `/deliveries/${id}/resend`);
  t.is(resend.status, 201);
  const { deliveryId } = (await resend.json()) as { deliveryId: string };
  t.not(deliveryId, id);
  const sent = await eventually(async () => {
    const d = await gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    return d.status === 'sent' ? d : undefined;
  });
  t.is(sent.template_key, 'reminder');
  t.is((await operator.call('POST', `/deliveries/${id}/resend`)).status, 409);
});

test('when an admin creates an API key, then it is shown once, works with its scope, and stops working when revoked', async (t) => {
  const r = await admin.call('POST', '/api-keys', { name: '统计报表', scopes: ['letters:read'] });
  t.is(r.status, 201);
  const { id, key } = (await r.json()) as { id: string; key: string };
  const listText = await (await admin.call('GET', '/api-keys')).text();
  t.false(listText.includes(key));
  const stats = await fetch(`${gw.url}/api/v1/stats?groupBy=kind`, { headers: { authorization: `Bearer ${key}` } });
  t.is(stats.status, 200);
  const write = await fetch(`${gw.url}/api/v1/letters/00000000-0000-7000-8000-000000000000/replies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'x' }),
  });
  t.is(write.status, 403);
  t.is((await admin.call('POST', `/api-keys/${id}/revoke`)).status, 200);
  t.is((await fetch(`${gw.url}/api/v1/stats`, { headers: { authorization: `Bearer ${key}` } })).status, 401);
});
