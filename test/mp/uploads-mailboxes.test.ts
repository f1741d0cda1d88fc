import test from 'ava';
import { createHash } from 'node:crypto';
import { startMpGateway, stopNock, login, mp, jpegBytes, pngBytes, photoForm } from '../channels/wechat-mp/_mp.js';
import type { TestGateway } from '../_support/gateway.js';

let gw: TestGateway;
let call: ReturnType<typeof mp>;
test.before(async () => {
  gw = await startMpGateway({ MP_UPLOAD_MAX_BYTES: '65536', MP_UPLOADS_PER_HOUR: '12' });
  call = mp(gw, (await login(gw)).token);
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

interface Upload {
  uploadId: string;
  contentType: string;
  bytes: number;
  sha256: string;
  code?: string;
}

test('when a JPEG photo is uploaded, then it is stored with its sha256 and an upload id comes back', async (t) => {
  const bytes = jpegBytes();
  const r = await call<Upload>('/mp/uploads', { body: photoForm(bytes) });
  t.is(r.status, 201);
  t.is(r.body.contentType, 'image/jpeg');
  t.is(r.body.sha256, createHash('sha256').update(bytes).digest('hex'));
  const row = await gw.services.db
    .selectFrom('mp_uploads')
    .innerJoin('attachments', 'attachments.id', 'mp_uploads.attachment_id')
    .select(['attachments.data', 'attachments.bytes'])
    .where('mp_uploads.id', '=', r.body.uploadId)
    .executeTakeFirstOrThrow();
  t.true(row.data.equals(bytes));
});

test('when a file named .jpg is really a PDF, then it is refused as not an image', async (t) => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
  const r = await call<Upload>('/mp/uploads', { body: photoForm(pdf, 'photo.jpg', 'image/jpeg') });
  t.is(r.status, 415);
  t.is(r.body.code, 'upload_not_image');
  t.is(
    await gw.services.db
      .selectFrom('attachments')
      .select('id')
      .where('sha256', '=', createHash('sha256').update(pdf).digest('hex'))
      .executeTakeFirst(),
    undefined,
  );
});

test('when a PNG arrives named .jpg and typed image/jpeg, then its type is taken from its bytes', async (t) => {
  const r = await call<Upload>('/mp/uploads', { body: photoForm(pngBytes(), 'photo.jpg', 'image/jpeg') });
  t.is(r.status, 201);
  t.is(r.body.contentType, 'image/png');
});

test.serial('when a photo is larger than the limit, then it is refused with 413 and nothing is stored', async (t) => {
  const before = await gw.services.db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const r = await call<Upload>('/mp/uploads', { body: photoForm(jpegBytes(200_000)) });
  t.is(r.status, 413);
  t.is(r.body.code, 'body_too_large');
  const after = await gw.services.db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  t.is(after.n, before.n);
});

test('when one citizen uploads more photos in an hour than allowed, then further uploads are refused with 429', async (t) => {
  const own = mp(gw, (await login(gw)).token);
  const statuses: number[] = [];
  for (let i = 0; i < 13; i++) statuses.push((await own('/mp/uploads', { body: photoForm(jpegBytes(64)) })).status);
  t.deepEqual(statuses, [...Array<number>(12).fill(201), 429]);
});

test('when an upload comes without a session, then it is refused with 401', async (t) => {
  const r = await fetch(`${gw.url}/mp/uploads`, { method: 'POST', body: photoForm(jpegBytes()) });
  t.is(r.status, 401);
});

interface Tree {
  mailboxes: {
    id: string;
    name: string;
    level: string;
    officeLevel?: string;
    children?: { id: string; level: string; children?: unknown[] }[];
  }[];
}

test('when the app asks for the mailbox directory, then it gets city mailboxes, districts and their streets as a tree', async (t) => {
  const r = await call<Tree>('/mp/mailboxes');
  t.is(r.status, 200);
  const top = r.body.mailboxes;
  t.deepEqual(
    top.filter((m) => m.level === 'city' && m.officeLevel !== 'city-department').map((m) => m.name),
    ['市委书记信箱', '市长信箱', '市民服务热线12345'],
  );
  const wuhou = top.find((m) => m.name === '武侯区信箱');
  t.is(wuhou?.level, 'district');
  t.true((wuhou?.children ?? []).length >= 3);
  t.true((wuhou?.children ?? []).every((c) => c.level === 'street' && c.children === undefined));
});

test('when the app searches the directory, then matches come with their path', async (t) => {
  const r = await call<{ results: { id: string; name: string; path: string[]; region: { code: string } | null }[] }>(
    `/mp/mailboxes?q=${encodeURIComponent('玉林')}`,
  );
  t.is(r.status, 200);
  t.is(r.body.results.length, 1);
  t.deepEqual(r.body.results[0]!.path, ['武侯区信箱', '玉林街道信箱']);
  t.is(r.body.results[0]!.region?.code, '510107');
  const none = await call<{ results: unknown[] }>(`/mp/mailboxes?q=${encodeURIComponent('不存在的街道')}`);
  t.deepEqual(none.body.results, []);
});
