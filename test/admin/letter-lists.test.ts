import test from 'ava';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { sampleIntake } from '../_support/letters.js';
import type { TestGateway } from '../_support/gateway.js';
import { startConsoleGateway, staffWithRole, type StaffClient } from './_staff.js';

let gw: TestGateway;
let admin: StaffClient;
let viewer: StaffClient;
const total = 160;

interface Page {
  letters: { id: string; serial: string | null; channel: string; kind: string; received_at: string }[];
  next: string | null;
  total: number;
  totalCapped: boolean;
}

test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
  viewer = await staffWithRole(gw, admin, 'viewer', 'reader');
  // 160 letters: 40 from the official account as suggestions and 120 by SMS from numbers ending 0001–0119 (and
  // 8000). One of each comes through intake; the rest are copies made by one statement each (quick on a busy machine).
  const oa = (
    await gw.services.intake.submit(
      sampleIntake({
        channel: 'wechat-oa',
        kind: 'suggestion',
        citizen: { channelUserId: 'oOPENID0', anonymous: false },
      }),
    )
  ).letterId;
  const sms = (await gw.services.intake.submit(sampleIntake())).letterId;
  for (const [model, copies, citizen] of [
    [oa, 39, sql`'oOPENID' || c.g`],
    [sms, 119, sql`'+86138' || lpad(c.g::text, 8, '0')`],
  ] as const) {
    await sql`
      insert into letters (id, channel, citizen_id, status, forward_state, extraction_code, body, received_at)
      select c.id, l.channel, ${citizen}, 'accepted', 'external', l.extraction_code, jsonb_set(l.body, '{id}', to_jsonb(c.id::text)),
             l.received_at - c.g * interval '1 second'
      from letters l, (select gen_random_uuid() as id, g from generate_series(1, ${copies}::int) g) c
      where l.id = ${model}`.execute(gw.services.db);
  }
});
test.after.always(async () => {
  await gw?.stop();
});

async function allPages(
  client: StaffClient,
  query: string,
): Promise<{ ids: string[]; pages: number; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await client.call('GET', `/letters?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    if (r.status !== 200) throw new Error(`${r.status} ${await r.text()}`);
    const body = (await r.json()) as Page;
    ids.push(...body.letters.map((l) => l.id));
    totals.push(body.total);
    cursor = body.next;
    pages++;
  } while (cursor && pages < 20);
  return { ids, pages, totals };
}

test('when 160 letters are paged 50 at a time, then every letter comes exactly once, newest first, with the count on every page', async (t) => {
  const { ids, pages, totals } = await allPages(viewer, 'sort=receivedAt&dir=desc');
  t.is(pages, 4);
  t.is(ids.length, total);
  t.is(new Set(ids).size, total);
  t.deepEqual(totals, [total, total, total, total]);
  const inDb = await gw.services.db
    .selectFrom('letters')
    .select('id')
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  t.deepEqual(
    ids,
    inDb.map((r) => r.id),
  );
  const oldestFirst = await allPages(viewer, 'sort=receivedAt&dir=asc');
  t.deepEqual(oldestFirst.ids, [...ids].reverse());
});

test('when the list is sorted by another column or filtered, then paging still visits exactly the matching letters', async (t) => {
  const byChannel = await allPages(viewer, 'sort=channel&dir=asc');
  t.is(new Set(byChannel.ids).size, total);
  const oa = await allPages(viewer, 'channel=wechat-oa&kind=suggestion');
  t.is(oa.ids.length, total / 4);
  t.deepEqual(oa.totals[0], total / 4);
  // Numbers ending 0013, 0113: the last four digits find SMS senders.
  const phone = (await (await viewer.call('GET', '/letters?phone=0013')).json()) as Page;
  t.is(phone.total, 1);
  t.is((await viewer.call('GET', '/letters?phone=13')).status, 422);
  t.is((await viewer.call('GET', '/letters?cursor=not-a-cursor')).status, 422);
  t.is((await viewer.call('GET', '/letters?sort=citizen_id')).status, 422);
  t.is((await viewer.call('GET', '/letters?forwardState=lost')).status, 422);
});

test('when letters are exported to Excel, then the file reads back with Chinese headers, every row and Shanghai times, and the export is audited with its reason', async (t) => {
  const r = await viewer.call(
    'GET',
    `/exports/letters?format=xlsx&channel=sms&reason=${encodeURIComponent('月度报表')}`,
  );
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type') ?? '', /spreadsheetml/);
  t.regex(r.headers.get('content-disposition') ?? '', /attachment/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('来信')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  t.deepEqual(header.slice(0, 3), ['流水号', '渠道', '来源']);
  t.true(header.includes('收到时间（北京时间）'));
  t.is(ws.actualRowCount, 1 + (total * 3) / 4);
  const row = ws.getRow(2).values as unknown[];
  t.is(row[2], '短信');
  // The reference case store accepts letters as they arrive: received or already accepted, in words.
  t.true(['已接收', '已受理'].includes(String(row[8])));
  const received = String(row[11]);
  t.regex(received, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const first = await gw.services.db
    .selectFrom('letters')
    .select('received_at')
    .where('channel', '=', 'sms')
    .orderBy('received_at')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  t.is(received, new Date(first.received_at).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }));
  // The citizen column is masked like every list.
  t.notRegex(String(row[10]), /^\+86138\d{8}$/);
  // Other tests of this file export letters at the same time: this export's entry is the one for the SMS filter.
  const entries = await gw.services.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'letter.export')
    .execute();
  const entry = entries.find((e) => (e.after as { filter?: { channel?: string } }).filter?.channel === 'sms');
  if (!entry) return t.fail('no audit entry for the SMS export');
  t.is(entry.reason, '月度报表');
  t.is(entry.staff_username, 'reader');
  t.deepEqual((entry.after as { filter: Record<string, string> }).filter, { channel: 'sms' });
});

test('when letters are exported as CSV, then Excel reads it as UTF-8 with one line per letter; without a reason nothing is exported', async (t) => {
  const r = await admin.call(
    'GET',
    `/exports/letters?format=csv&kind=suggestion&reason=${encodeURIComponent('核对数据')}`,
  );
  t.is(r.status, 200);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());
  t.true(text.startsWith('\uFEFF流水号,渠道,来源'));
  t.is(text.trim().split('\r\n').length, 1 + total / 4);
  t.true(text.includes(',公众号,'));
  t.is((await admin.call('GET', '/exports/letters?format=csv')).status, 422);
  t.is((await admin.call('GET', '/exports/letters?format=pdf&reason=abc')).status, 422);
});

test('when deliveries are listed and exported, then the list has a count and a cursor, and the Excel file has the same rows', async (t) => {
  // Receipts keep being queued while the test runs: counts are at least what was there before.
  const inDb = await gw.services.db.selectFrom('deliveries').select('seq').execute();
  const r = await admin.call('GET', '/deliveries?limit=1');
  t.is(r.status, 200);
  const body = (await r.json()) as { deliveries: { seq: string }[]; next: string | null; total: number };
  t.true(body.total >= inDb.length);
  t.is(body.next, body.total > 1 ? body.deliveries[0]!.seq : null);
  const x = await admin.call('GET', `/exports/deliveries?format=xlsx&reason=${encodeURIComponent('核对发送')}`);
  t.is(x.status, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('消息发送')!;
  t.is(ws.getRow(1).getCell(1).value, '创建时间（北京时间）');
  t.true(ws.actualRowCount >= 1 + inDb.length);
  t.is((await admin.call('GET', '/deliveries?cursor=abc')).status, 422);
});

test("when staff ask for a letter's extraction code, then an operator or admin gets it with a reason, audited, and a viewer does not", async (t) => {
  // One of the listed letters (a new one would change the other tests' counts).
  const { id: letterId, extraction_code: extractionCode } = await gw.services.db
    .selectFrom('letters')
    .select(['id', 'extraction_code'])
    .where('channel', '=', 'sms')
    .orderBy('received_at')
    .limit(1)
    .executeTakeFirstOrThrow();
  t.is((await viewer.call('POST', `/letters/${letterId}/reveal-code`, { reason: '市民来电查询' })).status, 403);
  t.is((await admin.call('POST', `/letters/${letterId}/reveal-code`, {})).status, 422);
  const r = await admin.call('POST', `/letters/${letterId}/reveal-code`, { reason: '市民来电查询' });
  t.is(r.status, 200);
  t.deepEqual(await r.json(), { extractionCode });
  const entry = await gw.services.db
    .selectFrom('audit_log')
    .select(['reason', 'target_id'])
    .where('action', '=', 'letter.reveal_code')
    .executeTakeFirstOrThrow();
  t.deepEqual(entry, { reason: '市民来电查询', target_id: letterId });
});

test("when staff open a letter's photo, then the console serves it to a session only", async (t) => {
  const photo = await gw.services.attachments.put({ data: Buffer.from('GIF89a-test-bytes'), contentType: 'image/gif' });
  const r = await viewer.call('GET', `/attachments/${photo.attachmentId}`);
  t.is(r.status, 200);
  t.is(r.headers.get('content-type'), 'image/gif');
  t.is(Buffer.from(await r.arrayBuffer()).toString(), 'GIF89a-test-bytes');
  t.is((await fetch(`${gw.url}/admin/api/attachments/${photo.attachmentId}`)).status, 401);
  t.is((await viewer.call('GET', '/attachments/no-such-file')).status, 404);
});
