import test from 'ava';
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { Letter } from '../../shared/letter.js';
import type { MediaFetchResult } from '../../gateway/conversation/types.js';
import { readMetrics, startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { inbound, lettersOf, newSender, receivedBy, waitForMessage } from '../_support/conversation.js';

let gw: TestGateway;
// The fake channel's media hook: what it answers per media id, and how often it was asked.
const mediaAnswers = new Map<string, MediaFetchResult[]>();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const mediaCalls = new Map<string, number>();
const stored = async (id: string): Promise<MediaFetchResult> => ({
  ok: true,
  attachment: await gw.services.attachments.put({
    data: Buffer.from(`jpeg bytes of ${id}`),
    contentType: 'image/jpeg',
  }),
});

test.before(async () => {
  gw = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '2', CONVERSATION_MEDIA_WAIT_SECONDS: '20' });
  gw.services.conversation.registerChannel({
    channel: 'wechat-oa',
    partChars: 600,
    async fetchMedia(m) {
      const id = m.media!.mediaId;
      mediaCalls.set(id, (mediaCalls.get(id) ?? 0) + 1);
      const queue = mediaAnswers.get(id) ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      return next ?? stored(id);
    },
  });
});
test.after.always(async () => {
  await gw?.stop();
});

async function letterAtCaseStore(g: TestGateway, citizenId: string, timeoutMs = 15_000): Promise<Letter> {
  const row = await eventually(
    async () => {
      const [letter] = await lettersOf(g, citizenId);
      if (!letter) return undefined;
      return g.services.db
        .selectFrom('sandbox_case_letters')
        .select('letter')
        .where('letter_id', '=', letter.id)
        .executeTakeFirst();
    },
    timeoutMs,
    'the letter at the case store',
  );
  return row.letter as Letter;
}

test('when a citizen writes a burst, then the quiet period closes it into one letter with every message as a source', async (t) => {
  const sender = newSender();
  const msgs = [
    inbound(sender, { text: '投诉：小区门口路灯坏了' }),
    inbound(sender, { text: '已经一个月了，晚上很黑' }),
    inbound(sender, { type: 'image', media: { mediaId: `img-${sender}`, kind: 'image' } }),
    inbound(sender, { type: 'location', location: { latitude: 30.66, longitude: 104.06, label: '锦江区某小区' } }),
  ];
  t.deepEqual(await gw.services.conversation.accept(msgs.slice(0, 2)), { accepted: 2, duplicates: 0 });
  await gw.services.conversation.accept(msgs.slice(2));
  const letter = await letterAtCaseStore(gw, sender);
  t.is(letter.channel, 'wechat-oa');
  t.is(letter.kind, 'complaint');
  t.is(letter.body, '小区门口路灯坏了\n已经一个月了，晚上很黑');
  t.deepEqual(letter.citizen, { channelUserId: sender, anonymous: false });
  t.deepEqual(letter.mailbox, {
    id: gw.services.config.DEFAULT_MAILBOX_ID,
    name: gw.services.config.DEFAULT_MAILBOX_NAME,
  });
  t.deepEqual(letter.location, { latitude: 30.66, longitude: 104.06, label: '锦江区某小区' });
  t.deepEqual(
    letter.sourceMessages.map((s) => s.providerMessageId),
    msgs.map((m) => m.providerMessageId),
  );
  t.deepEqual(
    letter.sourceMessages.map((s) => s.type),
    ['text', 'text', 'image', 'location'],
  );
  t.is(letter.attachments.length, 1);
  t.like(letter.attachments[0], {
    kind: 'image',
    contentType: 'image/jpeg',
    sha256: sha256(`jpeg bytes of img-${sender}`),
  });
  const url = (letter.attachments[0] as { url: string }).url;
  t.true(url.startsWith(`${gw.services.publicBaseUrl()}/attachments/`));
  const served = await fetch(url.replace(gw.services.publicBaseUrl(), gw.url));
  t.is(served.status, 200);
  t.is(await served.text(), `jpeg bytes of img-${sender}`);
  const received = await waitForMessage(gw, sender, 'receipt');
  t.deepEqual(
    received.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted', 'receipt'],
  );
  t.is(received[1]!.rendered.text, '已收到您的来信：2段文字、1张图片、1个位置，正在登记，稍后发送受理流水号和提取码。');
  const [row] = await lettersOf(gw, sender);
  t.true(String(received[2]!.rendered.text).includes(row!.serial!));
  t.true(String(received[2]!.rendered.text).includes(row!.extraction_code));
});

test('when the same message is accepted twice and concurrently, then it is stored once and makes one letter', async (t) => {
  const sender = newSender();
  const m = inbound(sender, { text: '楼下餐馆油烟扰民' });
  const results = await Promise.all([1, 2, 3, 4].map(() => gw.services.conversation.accept([structuredClone(m)])));
  t.is(
    results.reduce((a, r) => a + r.accepted, 0),
    1,
  );
  t.is(
    results.reduce((a, r) => a + r.duplicates, 0),
    3,
  );
  t.deepEqual(await gw.services.conversation.accept([m, m]), { accepted: 0, duplicates: 2 });
  const letter = await letterAtCaseStore(gw, sender);
  t.deepEqual(
    letter.sourceMessages.map((s) => s.providerMessageId),
    [m.providerMessageId],
  );
  const rows = await gw.services.db
    .selectFrom('conversation_messages')
    .select('id')
    .where('provider_message_id', '=', m.providerMessageId)
    .execute();
  t.is(rows.length, 1);
  t.is((await lettersOf(gw, sender)).length, 1);
});

test('when the media hook fails permanently, then the letter is still forwarded with the attachment marked missing', async (t) => {
  const sender = newSender();
  const mediaId = `gone-${sender}`;
  mediaAnswers.set(mediaId, [{ ok: false, retry: false, reason: 'invalid media_id (40007)' }]);
  await gw.services.conversation.accept([
    inbound(sender, { text: '井盖丢了' }),
    inbound(sender, { type: 'image', media: { mediaId, kind: 'image' } }),
    inbound(sender, { type: 'voice', media: { mediaId: `v-${sender}`, kind: 'voice' }, transcript: '就在学校门口' }),
  ]);
  const letter = await letterAtCaseStore(gw, sender);
  t.deepEqual(letter.attachments[0], { kind: 'image', missing: true, reason: 'invalid media_id (40007)' });
  t.like(letter.attachments[1], { kind: 'voice', transcript: '就在学校门口' });
  t.is(letter.body, '井盖丢了\n（语音）就在学校门口');
  t.is(mediaCalls.get(mediaId), 1);
  const metrics = await readMetrics(gw);
  t.regex(metrics, /gateway_conversation_media_total\{channel="wechat-oa",outcome="missing"\} [1-9]/);
  t.regex(metrics, /gateway_conversation_drafts_total\{channel="wechat-oa",outcome="submitted"\} [1-9]/);
});

test('when the media hook fails transiently and then succeeds, then the attachment is in the letter', async (t) => {
  const sender = newSender();
  const mediaId = `flaky-${sender}`;
  mediaAnswers.set(mediaId, [
    { ok: false, retry: true, reason: 'system busy (-1)' },
    { ok: false, retry: true, reason: 'system busy (-1)' },
  ]);
  // After the two transient failures the hook stores the media.
  mediaAnswers.get(mediaId)!.push(await stored(mediaId));
  await gw.services.conversation.accept([
    inbound(sender, { type: 'image', media: { mediaId, kind: 'image' } }),
    inbound(sender, { text: '提交' }),
  ]);
  const letter = await letterAtCaseStore(gw, sender, 20_000);
  t.like(letter.attachments[0], { kind: 'image', sha256: sha256(`jpeg bytes of ${mediaId}`) });
  t.false('missing' in letter.attachments[0]!);
  t.is(mediaCalls.get(mediaId), 3);
  t.is(letter.body, '（未附文字：1张图片）');
});

test('when the gateway stops with an open draft, then a new gateway on the same database still closes it', async (t) => {
  // The draft stays open for as long as the first gateway runs, however slow the machine; its quiet period then ends
  // while no gateway is running (below).
  const first = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '600' });
  const sender = newSender('sms');
  try {
    await first.services.conversation.accept([
      inbound(sender, { channel: 'sms', text: '建议：公交站加个遮阳棚' }),
      inbound(sender, { channel: 'sms', text: '夏天等车太晒了' }),
    ]);
    await eventually(
      async () => ((await receivedBy(first, sender)).length > 0 ? true : undefined),
      30_000,
      'the draft notice',
    );
    t.is((await lettersOf(first, sender)).length, 0);
  } finally {
    await first.stop();
  }
  const second = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '2' }, first.databaseUrl);
  try {
    await sql`update conversation_drafts set quiet_until = now() where state = 'open'`.execute(second.services.db);
    await sql`update conversation_senders set due_at = now()`.execute(second.services.db);
    const letter = await letterAtCaseStore(second, sender);
    t.is(letter.kind, 'suggestion');
    t.is(letter.body, '公交站加个遮阳棚\n夏天等车太晒了');
    t.deepEqual(letter.citizen, { channelUserId: sender, phone: sender, anonymous: false });
    const received = await waitForMessage(second, sender, 'receipt');
    t.deepEqual(
      received.map((m) => m.templateKey),
      ['draft_started', 'draft_submitted', 'receipt'],
    );
    t.true(received.every((m) => m.route === 'sms'));
    t.is((received[1]!.rendered.params as Record<string, string>).summary, '2段文字');
  } finally {
    await second.stop();
  }
});
