import test from 'ava';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { sql } from 'kysely';
import { eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { startConsoleGateway, ADMIN_PASSWORD, type StaffClient } from './_staff.js';
import { openBrowser, type Browser } from './_browser.js';
import { assertAllChinese, openConsolePage, readableText, seriousViolations } from './_console-page.js';

// Every page of the console for each role, at 1366×768: screenshots under test-results/console/, no identifier left
// untranslated, no "[object Object]", no serious or critical axe-core violation, readable at 200 % zoom.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let gw: TestGateway;
let admin: StaffClient;
let browser: Browser;
let story: string;
const errors: string[] = [];
const passwords = {
  admin: ADMIN_PASSWORD,
  operator: 'operator-password-2026',
  viewer: 'viewer-password-2026',
} as const;
type Role = keyof typeof passwords;

test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({ SURVEY_DELAY_SECONDS: '0' }));
  for (const role of ['operator', 'viewer'] as const) {
    const r = await admin.call('POST', '/staff', {
      username: role,
      displayName: role === 'operator' ? '小李' : '小赵',
      role,
      password: passwords[role],
    });
    if (r.status !== 201) throw new Error(`creating ${role}: ${r.status}`);
  }
  // The letter whose story is told: a photo, a voice message with its transcript, a location, a reply, a survey
  // answered, and a delivery that failed on WeChat's 48-hour window and then on the SMS account's balance.
  const photo = await gw.services.attachments.put({ data: png, contentType: 'image/png' });
  story = (
    await gw.services.intake.submit(
      sampleIntake({
        citizen: { channelUserId: '+8613900139000', phone: '+8613900139000', anonymous: false },
        title: '人民公园路灯不亮',
        attachments: [
          {
            kind: 'image',
            url: gw.services.attachments.signedUrl(photo.attachmentId),
            contentType: photo.contentType,
            bytes: photo.bytes,
            sha256: photo.sha256,
          },
          { kind: 'voice', missing: true, reason: '微信素材已过期', transcript: '公园东门的路灯坏了' },
        ],
        location: { latitude: 30.66, longitude: 104.06, label: '人民公园', address: '成都市青羊区少城路12号' },
      }),
    )
  ).letterId;
  await serialOf(gw.services.db, story);
  if (
    (await gw.api(`/api/v1/letters/${story}/replies`, { method: 'POST', json: { text: '路灯已修复。', final: true } }))
      .status !== 202
  )
    throw new Error('reply refused');
  await eventually(
    async () =>
      (await gw.services.db.selectFrom('surveys').select('id').where('letter_id', '=', story).executeTakeFirst()) ??
      undefined,
  );
  await gw.services.conversation.accept([
    {
      channel: 'sms',
      senderId: '+8613900139000',
      providerMessageId: `answer-${story}`,
      receivedAt: new Date(),
      type: 'text',
      text: '3 修得太慢',
      payload: {},
    },
  ]);
  await eventually(async () =>
    (
      await gw.services.db
        .selectFrom('surveys')
        .select('state')
        .where('letter_id', '=', story)
        .executeTakeFirstOrThrow()
    ).state === 'answered'
      ? true
      : undefined,
  );
  const failed = randomUUID();
  await gw.services.db
    .insertInto('deliveries')
    .values({
      id: failed,
      letter_id: story,
      channel: 'sms',
      recipient: '+8613900139000',
      kind: 'notice',
      template_key: 'status.closed',
      variables: JSON.stringify({ status: '已办结' }),
      status: 'failed',
      route: 'sms',
      attempts: 2,
      last_error: 'isv.AMOUNT_NOT_ENOUGH',
      plan: JSON.stringify([
        { channel: 'wechat-oa', route: 'custom', recipient: 'oSTORY' },
        { channel: 'sms', route: 'sms', recipient: '+8613900139000' },
      ]),
      plan_step: 1,
    })
    .execute();
  await gw.services.db
    .insertInto('delivery_attempts')
    .values([
      {
        delivery_id: failed,
        route: 'custom',
        channel: 'wechat-oa',
        outcome: 'fallback',
        error_code: '45015',
        error: 'response out of time limit',
      },
      {
        delivery_id: failed,
        route: 'sms',
        channel: 'sms',
        outcome: 'failed',
        error_code: 'isv.AMOUNT_NOT_ENOUGH',
        error: '账户余额不足',
      },
    ])
    .execute();
  // 155 more letters, so the list has four pages of 50: copies of one letter made by one statement (quick on a busy
  // machine), registered by the case store itself so they add no forwarding work while the pages are walked.
  const { letterId: model } = await gw.services.intake.submit(sampleIntake());
  await sql`
    insert into letters (id, channel, citizen_id, status, forward_state, extraction_code, body, received_at, serial)
    select c.id, l.channel, l.citizen_id, 'accepted', 'external', l.extraction_code, jsonb_set(l.body, '{id}', to_jsonb(c.id::text)),
           l.received_at - c.g * interval '1 minute', 'CD2026000' || lpad(c.g::text, 5, '0')
    from letters l, (select gen_random_uuid() as id, g from generate_series(1, 154) g) c
    where l.id = ${model}`.execute(gw.services.db);
  // A second version of the SMS receipt, to compare with the first.
  const current = (await (await admin.call('GET', '/templates/sms/sms/receipt')).json()) as {
    current: { content: Record<string, unknown> };
  };
  const saved = await admin.call('PUT', '/templates/sms/sms/receipt', {
    enabled: true,
    content: { ...current.current.content, text: `${String(current.current.content.text)}如有疑问请致电12345。` },
  });
  if (saved.status !== 200) throw new Error(`saving v2: ${saved.status} ${await saved.text()}`);

  browser = await openBrowser({ screenshots: join('test-results', 'console'), viewport: { width: 1366, height: 768 } });
  browser.page.on('pageerror', (e) => errors.push(e.message));
});
test.after.always(async () => {
  await browser?.close();
  await gw?.stop();
});

const common = [
  'templates',
  'templates/sms/sms/receipt',
  'letters',
  'letter',
  'deliveries',
  'channels',
  'stats',
  'sandbox',
  'password',
];
const adminOnly = ['keys', 'staff', 'audit', 'citizens'];

async function login(page: Page, role: Role) {
  await page.goto(`${gw.url}/admin/#/login`);
  await page.reload();
  try {
    await page.locator('#login-user').waitFor();
  } catch (err) {
    await browser.shot('debug-login');
    throw err;
  }
  await page.locator('#login-user').fill(role);
  await page.locator('#login-pass').fill(passwords[role]);
  await page.locator('#login-pass').press('Enter');
  await page.locator('#me').filter({ hasText: '退出' }).waitFor();
}

const open = (page: Page, path: string) => openConsolePage(page, gw.url, path === 'letter' ? `letters/${story}` : path);

let loggedIn: Role | null = null;

async function as(role: Role): Promise<Page> {
  const { page } = browser;
  if (loggedIn === role) return page;
  const logout = page.getByRole('button', { name: '退出' });
  if (loggedIn && (await logout.count()) > 0) {
    await logout.click();
    await page.locator('#login-user').waitFor();
  }
  await login(page, role);
  loggedIn = role;
  return page;
}

// One test per page and role, so a failure names its page and no test runs for long.
for (const role of ['admin', 'operator', 'viewer'] as const) {
  for (const path of role === 'admin' ? [...common, ...adminOnly] : common) {
    const name = `${role}-${path.replace(/\//g, '-')}`;
    test.serial(
      `when the ${role} opens ${path}, then the page is all Chinese${role === 'admin' ? ', without serious accessibility problems, and fits at 200 % zoom' : ''}`,
      async (t) => {
        const page = await as(role);
        await open(page, path);
        await browser.shot(name);
        const text = await readableText(page);
        t.true(text.includes('来信网关管理台') && text.includes('退出'), 'the page text was read');
        assertAllChinese(t, text);
        if (role === 'admin') {
          // axe-core once per page: the admin's page is the superset (other roles see the same markup with fewer
          // actions), and each run costs seconds of CPU.
          t.deepEqual(await seriousViolations(page), []);
          // 200 % zoom of a 1366×768 screen: the page itself must not scroll sideways (wide tables scroll in their box).
          await page.setViewportSize({ width: 683, height: 384 });
          const overflow = Number(
            await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
          );
          await page.setViewportSize({ width: 1366, height: 768 });
          t.true(overflow <= 0, `${overflow}px wider than the screen at 200 %`);
        }
      },
    );
  }
}

test.serial('when a viewer is logged in, then admin pages and actions are not offered', async (t) => {
  const page = await as('viewer');
  t.is(await page.getByRole('link', { name: '审计日志' }).count(), 0);
  await open(page, 'letter');
  t.is(await page.getByRole('button', { name: /^重发/ }).count(), 0);
  t.is(await page.getByRole('button', { name: '查看完整手机号' }).count(), 0);
  t.deepEqual(errors, []);
});

test.serial(
  "when an operator reads a letter's story, then it runs oldest first with the photo, transcript, location, reply, survey answer and the failed delivery explained",
  async (t) => {
    const { shot } = browser;
    const page = await as('operator');
    await open(page, 'letter');
    const events = await page.locator('.timeline > li h4').allTextContents();
    const at = (s: string) => events.findIndex((e) => e.includes(s));
    t.true(at('来信内容') >= 0 && at('转交案件系统') > at('来信内容'), events.join(' | '));
    t.true(at('发给市民：答复') > at('转交案件系统'));
    t.true(at('市民评价：不满意') > at('满意度调查开始'));
    const times = (await attributes(page.locator('.timeline time'), 'datetime')).map((d) => Date.parse(d));
    t.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const main = page.locator('.timeline');
    await main.getByText('45015 用户超过48小时未互动，无法发送客服消息').waitFor();
    await main.getByText('isv.AMOUNT_NOT_ENOUGH 阿里云账户余额不足，充值后可重发').waitFor();
    await main.getByText('公园东门的路灯坏了').waitFor();
    await main.getByText('成都市青羊区少城路12号', { exact: false }).waitFor();
    await main.getByText('修得太慢').waitFor();
    await page.waitForFunction("document.querySelector('.thumbs img')?.naturalWidth === 1");
    t.false(await page.locator('details pre').first().isVisible());
    await page.getByText('技术详情').click();
    t.true(await page.locator('details pre').first().isVisible());
    await shot('operator-letter-story');
    await page.getByRole('button', { name: '重发这条消息（状态通知：已办结）' }).click();
    await browser.shot('operator-letter-resent');
    await page.locator('#toast').filter({ hasText: '已重新发送' }).waitFor();
    const resent = await gw.services.db
      .selectFrom('delivery_resends as r')
      .innerJoin('deliveries as d', 'd.id', 'r.original_id')
      .select('d.template_key')
      .execute();
    t.deepEqual(
      resent.map((r) => r.template_key),
      ['status.closed'],
    );
    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('#login-user').waitFor();
  },
);

test.serial(
  'when an admin reveals the phone, then the reason is asked in a dialog and the reveal is audited',
  async (t) => {
    const page = await as('admin');
    await open(page, 'letter');
    await page.getByRole('button', { name: '查看完整手机号' }).click();
    const dialog = page.getByRole('dialog', { name: '查看完整手机号' });
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.getByText('请填写原因').waitFor();
    await dialog.getByLabel(/原因/).fill('市民来电要求核对');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('#revealed').filter({ hasText: '+8613900139000' }).waitFor();
    const entry = await gw.services.db
      .selectFrom('audit_log')
      .select(['reason'])
      .where('action', '=', 'letter.reveal_phone')
      .executeTakeFirstOrThrow();
    t.is(entry.reason, '市民来电要求核对');
  },
);

test.serial(
  'when an admin compares two template versions, then the changed field is shown with the added words highlighted',
  async (t) => {
    const { page, shot } = browser;
    await open(page, 'templates/sms/sms/receipt');
    await page.getByRole('button', { name: '对比 v1' }).click();
    const changed = page.locator('table.diff tr.changed');
    await changed.first().waitFor();
    t.is(await changed.count(), 1);
    t.regex((await changed.locator('th').textContent()) ?? '', /审核通过的模板正文/);
    t.is((await changed.locator('ins').allTextContents()).join(''), '如有疑问请致电12345。');
    t.is(await changed.locator('del').count(), 0);
    await shot('admin-template-compare');
  },
);

test.serial(
  'when 156 letters are listed, then paging forward visits each once, and the filter stays in the address',
  async (t) => {
    const { page, shot } = browser;
    await open(page, 'letters');
    await page.locator('#letters-count').filter({ hasText: '共 156 封' }).waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const ids = await attributes(page.locator('#letters-results tbody a'), 'href');
      t.is(ids.length, i < 3 ? 50 : 6);
      for (const id of ids) seen.add(id);
      if (i < 3) {
        await page.locator('#next-page').click();
        await page.getByText(`第 ${i + 2} 页`).waitFor();
      }
    }
    t.is(seen.size, 156);
    t.true(await page.locator('#next-page').isDisabled());
    await shot('admin-letters-last-page');
    await page.locator('#q-phone').fill('9000');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.regex(page.url(), /phone=9000/);
    await page.reload();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.is(await page.locator('#q-phone').inputValue(), '9000');
    t.deepEqual(errors, []);
  },
);

/** One attribute of every element a locator matches, in document order. */
async function attributes(locator: Locator, name: string): Promise<string[]> {
  return Promise.all((await locator.all()).map(async (l) => (await l.getAttribute(name)) ?? ''));
}
