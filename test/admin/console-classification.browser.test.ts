// The console's classification views in Chromium, one gateway and one browser for the file: a letter's header with
// topic, region, department and overdue deadline, the extraction code only on request, an admin approving a letter
// for the public page and finding it there; the letters list filtered by topic, region, department and deadline (kept
// in the address); the KPI tables by every grouping with the change in 百分点 and their export; the topic taxonomy
// editor (add, edit name and keywords, retire; admins only). Each page is also checked for untranslated text and
// axe-core, and so are the alerts and reports pages.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { startConsoleGateway, ADMIN_PASSWORD, type StaffClient } from './_staff.js';
import { openBrowser, type Browser } from './_browser.js';
import { assertAllChinese, openConsolePage, readableText, seriousViolations } from './_console-page.js';

let gw: TestGateway;
let admin: StaffClient;
let browser: Browser;
let story: string;
let other: string;
let code: string;
const errors: string[] = [];
const passwords = { admin: ADMIN_PASSWORD, operator: 'operator-password-2026', viewer: 'viewer-password-2026' };
type Role = keyof typeof passwords;
const dayMs = 86_400_000;

test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
  for (const role of ['operator', 'viewer'] as const) {
    const r = await admin.call('POST', '/staff', {
      username: role,
      displayName: role,
      role,
      password: passwords[role],
    });
    if (r.status !== 201) throw new Error(`creating ${role}: ${r.status}`);
  }
  story = (
    await gw.services.intake.submit(
      sampleIntake({
        visibility: 'public',
        title: '玉林路夜市占道经营',
        body: '玉林路夜市摊位占满人行道，行人只能走机动车道。',
      }),
    )
  ).letterId;
  other = (await gw.services.intake.submit(sampleIntake({ title: '锦江区公交站牌损坏' }))).letterId;
  const set = (id: string, topic: string, region: string, department: string | null, deadline: Date) =>
    sql`update letters set topic = ${topic}, region_code = ${region}, department = ${department}, deadline_at = ${deadline},
        topic_inferred = true, region_inferred = false, classification_evidence = '{}'::jsonb where id = ${id}`.execute(
      gw.services.db,
    );
  await set(story, 'city-management', '510107005', '武侯区综合执法局', new Date(Date.now() - dayMs));
  await set(other, 'traffic', '510104', null, new Date(Date.now() + 3 * dayMs));
  // The receipt as sent holds the extraction code: the page must show neither it nor the raw letter's copy.
  await eventually(
    async () =>
      (
        await gw.services.db
          .selectFrom('deliveries')
          .select('rendered')
          .where('letter_id', '=', story)
          .where('kind', '=', 'receipt')
          .executeTakeFirst()
      )?.rendered ?? undefined,
    30_000,
    'receipt rendered',
  );
  code = (
    await gw.services.db
      .selectFrom('letters')
      .select('extraction_code')
      .where('id', '=', story)
      .executeTakeFirstOrThrow()
  ).extraction_code;
  browser = await openBrowser({ screenshots: join('test-results', 'console'), viewport: { width: 1366, height: 768 } });
  browser.page.on('pageerror', (e) => errors.push(e.message));
});
test.after.always(async () => {
  await browser?.close();
  await gw?.stop();
});

let loggedIn: Role | null = null;
const roleLabels: Record<Role, string> = { admin: '管理员', operator: '操作员', viewer: '只读' };
async function as(role: Role): Promise<Page> {
  const { page } = browser;
  if (loggedIn === role) return page;
  // A fresh load of the login page (from a blank page: a change of hash only would be routed to the signed-in
  // session's first page): it shows the form without asking for the session, and logging in replaces it.
  await page.goto('about:blank');
  await page.goto(`${gw.url}/admin/#/login`);
  await page.locator('#login-user').fill(role);
  await page.locator('#login-pass').fill(passwords[role]);
  await page.locator('#login-pass').press('Enter');
  // The new role's name in the header, not just any 退出: the previous role's page may still be showing.
  await page
    .locator('#me')
    .filter({ hasText: `（${roleLabels[role]}）` })
    .waitFor();
  loggedIn = role;
  return page;
}

const open = (page: Page, path: string) => openConsolePage(page, gw.url, path);

async function readable(t: import('ava').ExecutionContext, page: Page): Promise<string> {
  const text = await readableText(page);
  assertAllChinese(t, text);
  t.deepEqual(await seriousViolations(page), []);
  return text;
}

test.serial(
  'when an operator reads a letter, then its header names topic, region, department and the overdue deadline, and the extraction code shows only on request',
  async (t) => {
    const page = await as('operator');
    await open(page, `letters/${story}`);
    const fact = (key: string) => page.locator(`[data-fact="${key}"] dd`).textContent();
    t.regex((await fact('topic')) ?? '', /^城市管理（系统推断）$/);
    t.is(await fact('region'), '玉林街道（武侯区）');
    t.is(await fact('department'), '武侯区综合执法局');
    t.regex((await fact('deadline')) ?? '', /已超期/);
    t.is(await page.locator('[data-fact="deadline"] .badge.overdue').count(), 1);
    await readable(t, page);
    const whole = async () => (await page.locator('main').textContent()) ?? '';
    await page.getByText('技术详情').click();
    t.true(await page.locator('#technical pre').first().isVisible());
    t.false((await whole()).includes(code), 'no extraction code in the timeline or the technical details');
    await browser.shot('operator-letter-classified');

    await page.getByRole('button', { name: '查看提取码' }).click();
    const dialog = page.getByRole('dialog', { name: '查看提取码' });
    await dialog.getByLabel(/原因/).fill('市民来电查询进度');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('#revealed').filter({ hasText: code }).waitFor();
    t.deepEqual(errors, []);
  },
);

test.serial(
  'when an admin approves the letter for the public page, then it appears on /public/, and withdrawing takes it down',
  async (t) => {
    const page = await as('admin');
    await open(page, `letters/${story}`);
    await page.getByRole('button', { name: '批准在公开通报发布' }).click();
    const dialog = page.getByRole('dialog', { name: '批准在公开通报发布' });
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.getByText('请填写原因').waitFor();
    await dialog.getByLabel(/原因/).fill('典型案例');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('#toast').filter({ hasText: '已在公开通报发布' }).waitFor();
    await page.locator('[data-fact="publication"] dd').filter({ hasText: '已在公开通报发布' }).waitFor();
    await page.getByRole('button', { name: '从公开通报撤下' }).waitFor();

    await page.goto(`${gw.url}/public/`);
    const article = page.locator('article').filter({ hasText: '玉林路夜市占道经营' });
    await article.waitFor();
    t.regex((await article.textContent()) ?? '', /摊位占满人行道/);
    await browser.shot('public-letter-approved');

    await open(page, `letters/${story}`);
    await page.getByRole('button', { name: '从公开通报撤下' }).click();
    const withdraw = page.getByRole('dialog', { name: '从公开通报撤下' });
    await withdraw.getByLabel(/原因/).fill('来信人要求撤下');
    await withdraw.getByRole('button', { name: '确定' }).click();
    await page.getByRole('button', { name: '批准在公开通报发布' }).waitFor();
    // The public page may be cached by browsers for a few minutes: ask for a fresh copy.
    await page.goto(`${gw.url}/public/?after-withdrawal`);
    await page.locator('h1').waitFor();
    t.is(await page.locator('article').filter({ hasText: '玉林路夜市占道经营' }).count(), 0);
    const audit = await gw.services.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('target_id', '=', story)
      .where('action', 'like', 'public-letter.%')
      .orderBy('id')
      .execute();
    t.deepEqual(
      audit.map((a) => [a.action, a.reason]),
      [
        ['public-letter.approve', '典型案例'],
        ['public-letter.withdraw', '来信人要求撤下'],
      ],
    );
  },
);

test.serial(
  'when an operator or a viewer reads a public letter, or an admin a private one, then no publication is offered',
  async (t) => {
    let page = await as('admin');
    await open(page, `letters/${other}`);
    t.is(await page.getByRole('button', { name: '查看完整手机号' }).count(), 1, 'the admin has the letter actions');
    t.is(await page.getByRole('button', { name: '批准在公开通报发布' }).count(), 0, 'the citizen did not agree');
    page = await as('operator');
    await open(page, `letters/${story}`);
    t.is(await page.getByRole('button', { name: '查看提取码' }).count(), 1);
    t.is(await page.getByRole('button', { name: '批准在公开通报发布' }).count(), 0);
    page = await as('viewer');
    await open(page, `letters/${story}`);
    t.is(await page.getByRole('button', { name: '批准在公开通报发布' }).count(), 0);
    t.is(await page.getByRole('button', { name: '查看提取码' }).count(), 0);
    t.is(await page.getByRole('link', { name: '问题分类' }).count(), 1);
  },
);

test.serial(
  'when the letters list is filtered by topic, region, department and deadline, then the filter stays in the address and the rows name them',
  async (t) => {
    const page = await as('admin');
    await open(page, 'letters');
    await page.locator('#letters-count').filter({ hasText: '共 2 封' }).waitFor();
    const row = page.locator('#letters-results tbody tr.overdue');
    t.is(await row.count(), 1);
    t.is(await row.locator('td.topic').textContent(), '城市管理');
    t.is(await row.locator('td.region').textContent(), '玉林街道');
    t.regex((await row.locator('td.deadline').textContent()) ?? '', /已超期/);
    await readable(t, page);
    await page.locator('#q-topic').selectOption('traffic');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.regex(page.url(), /topic=traffic/);
    t.is(await page.locator('#letters-results tbody td.region').textContent(), '锦江区');
    await page.locator('#q-topic').selectOption('');
    await page.locator('#q-region').selectOption('510107');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.regex(page.url(), /region=510107/);
    await page.reload();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.is(await page.locator('#q-region').inputValue(), '510107');
    t.is(await page.locator('#letters-results tbody td.topic').textContent(), '城市管理');
    await browser.shot('admin-letters-by-region');
    // By department (any part of its name) and by deadline, both kept in the address too.
    await page.locator('#q-region').selectOption('');
    await page.locator('#q-department').fill('综合执法');
    await page.locator('#q-deadline').selectOption({ label: '已超期' });
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('#letters-count').filter({ hasText: '共 1 封' }).waitFor();
    t.regex(page.url(), /deadline=overdue/);
    t.regex(page.url(), new RegExp(`department=${encodeURIComponent('综合执法')}`));
    t.is(await page.locator('#letters-results tbody td.department').textContent(), '武侯区综合执法局');
    await page.locator('#q-deadline').selectOption({ label: '未超期' });
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('#letters-count').filter({ hasText: '共 0 封' }).waitFor();
  },
);

test.serial(
  "when the statistics page opens, then the KPI tables by every grouping show the period's letters beside the previous period's, the change in 百分点, and export as CSV",
  async (t) => {
    // A letter of the previous period (the page shows the last 14 days), replied the next day: the rates now fell.
    const earlier = (await gw.services.intake.submit(sampleIntake({ title: '上期来信' }))).letterId;
    const received = new Date(Date.now() - 20 * dayMs);
    await sql`update letters set received_at = ${received}, replied_at = ${new Date(received.getTime() + dayMs)},
        topic = 'city-management', region_code = '510107' where id = ${earlier}`.execute(gw.services.db);
    const page = await as('admin');
    await open(page, 'stats');
    const topics = page.locator('#kpi-table-topic');
    await topics.waitFor();
    const cityRow = topics.locator('tbody tr').filter({ hasText: '城市管理' });
    t.regex((await cityRow.locator('td').first().textContent()) ?? '', /^1上期 1$/);
    // 回复办理率 (the third figure): 0 % now against 100 % before, told in 百分点.
    const replyRate = cityRow.locator('td').nth(2);
    t.is(await replyRate.locator('.previous').textContent(), '上期 100%');
    t.is(await replyRate.locator('.change').textContent(), '较上期降低 100.0 个百分点');
    t.is(await cityRow.locator('td').nth(1).locator('.change').count(), 0, 'a count has no change in 百分点');
    for (const grouping of ['channel', 'mailbox', 'mailboxLevel', 'kind'])
      t.true((await page.locator(`#kpi-${grouping} h4`).count()) === 1, grouping);
    t.regex((await page.locator('#kpi-table-channel tbody tr').first().textContent()) ?? '', /^短信2上期 1/);
    t.is(await page.locator('#kpi-table-region tbody tr').filter({ hasText: '武侯区' }).count(), 1);
    await page.locator('#kpi-topic-replyRate svg rect.bar').first().waitFor();
    t.regex((await page.locator('#kpi-topic-replyRate svg').getAttribute('aria-label')) ?? '', /城市管理 0%/);
    t.is(await page.locator('#kpi-table-department tbody tr').filter({ hasText: '武侯区综合执法局' }).count(), 1);
    t.regex((await page.locator('#kpi-table-totals tbody tr').first().textContent()) ?? '', /^合计2上期 1/);
    await readable(t, page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#kpi-topic').getByRole('button', { name: '导出此表（CSV）' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    t.regex(
      lines[0]!,
      /^名称,来信量,上期 来信量,已回复,上期 已回复,回复办理率,上期 回复办理率,回复办理率 变化（百分点）,/,
    );
    t.true(lines.some((l) => l.startsWith('城市管理,1,1,0,1,0%,100%,-100.0,')));
    await browser.shot('admin-stats-kpis');
  },
);

test.serial(
  'when an admin adds a topic, edits its name and keywords and retires it, then each is a version, and bad input is shown at its field',
  async (t) => {
    let page = await as('operator');
    await open(page, 'topics');
    t.is(await page.locator('#topic-add').count(), 0, 'an operator reads the taxonomy only');
    t.is(await page.getByRole('button', { name: /^编辑“/ }).count(), 0);
    await page.locator('#topics-read-only').waitFor();

    page = await as('admin');
    await open(page, 'topics');
    await readable(t, page);
    // Checked before it is sent: the problem stands at its field, which takes the focus.
    await page.locator('#topic-code').fill('Metro Ads');
    await page.locator('#topic-name').fill('地铁广告');
    await page.locator('#topic-keywords').fill('地铁，广告 灯箱 广告');
    await page.getByRole('button', { name: '新增', exact: true }).click();
    t.is(await page.locator('#topic-code').getAttribute('aria-invalid'), 'true');
    t.is(await page.locator('#topic-code-problem').textContent(), '代码为 1 到 40 个小写字母、数字或连字符');
    t.is(await page.locator('#topic-keywords-problem').textContent(), '关键词“广告”重复了');
    t.is(await page.evaluate('document.activeElement.id'), 'topic-code');
    await page.locator('#topic-code').fill('metro-ads');
    await page.locator('#topic-keywords').fill('地铁，广告 灯箱');
    t.is(await page.locator('#topic-code-problem').textContent(), '', 'the problem goes as it is mended');
    await page.getByRole('button', { name: '新增', exact: true }).click();
    await page.locator('#topics-table tr[data-code="metro-ads"]').waitFor();
    t.regex((await page.locator('#topics-table tr[data-code="metro-ads"]').textContent()) ?? '', /地铁广告3 个/);
    // The server's own problem (a name another topic has) shows at the field too.
    await page.getByRole('button', { name: '编辑“地铁广告”的名称和关键词' }).click();
    await page.locator('#edit-name-metro-ads').fill('城市管理');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#edit-name-metro-ads-problem').filter({ hasText: '已有同名的分类' }).waitFor();
    await page.locator('#edit-name-metro-ads').fill('轨道交通广告');
    await page.locator('#edit-keywords-metro-ads').fill('地铁，灯箱，车厢广告，站台广告');
    await page.getByRole('button', { name: '保存' }).click();
    const row = page.locator('#topics-table tr[data-code="metro-ads"]');
    await row.locator('th').filter({ hasText: '轨道交通广告' }).waitFor();
    t.is(await row.locator('.keywords').textContent(), '地铁、灯箱、车厢广告、站台广告');
    await page.getByRole('button', { name: '停用“轨道交通广告”' }).click();
    const dialog = page.getByRole('dialog', { name: '停用“轨道交通广告”' });
    await dialog.getByLabel(/原因/).fill('并入城市管理');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('#retired-topics').filter({ hasText: '轨道交通广告' }).waitFor();
    t.is(await page.locator('#topics-table tr[data-code="metro-ads"]').count(), 0);
    const text = await readable(t, page);
    t.regex(text, /停用分类/);
    await browser.shot('admin-topics');
    const taxonomy = (await (await admin.call('GET', '/topics')).json()) as { topics: { code: string }[] };
    t.false(taxonomy.topics.some((x) => x.code === 'metro-ads'));
    const audited = await gw.services.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'topic')
      .where('target_id', '=', 'metro-ads')
      .orderBy('id')
      .execute();
    t.deepEqual(
      audited.map((a) => a.action),
      ['topic.add', 'topic.update', 'topic.retire'],
    );
    t.deepEqual(errors, []);
  },
);

// The pages the per-page walk of console-pages.browser.test.ts does not open: each role reads them in Chinese, and
// the admin's (the fullest) has no serious axe-core violation. No screenshots: that walk keeps the page pictures.
test.serial('when each role opens the taxonomy, alerts and reports pages, then each reads in Chinese', async (t) => {
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const page = await as(role);
    for (const path of ['topics', 'alerts', 'reports']) {
      await open(page, path);
      const text = await readableText(page);
      t.true(text.includes('退出'), `${role} ${path}: the page text was read`);
      assertAllChinese(t, text);
      if (role === 'admin') t.deepEqual(await seriousViolations(page), [], path);
    }
  }
  t.deepEqual(errors, []);
});
