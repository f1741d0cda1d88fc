import test from 'ava';
import { eventually, startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { openCitizenBrowser, type CitizenBrowser } from './_browser.js';
import { codeSentTo, newPhone, PNG } from './_web.js';

let gw: TestGateway;
let browser: CitizenBrowser;
const errors: string[] = [];

test.before(async () => {
  gw = await startTestGateway({ SURVEY_DELAY_SECONDS: '0' });
  browser = await openCitizenBrowser();
  browser.page.on('pageerror', (e) => errors.push(e.message));
});
test.after.always(async () => {
  await browser?.close();
  await gw?.stop();
});

/** Every visible form control has an accessible name, and no page scrolls sideways. */
async function accessible(t: import('ava').ExecutionContext, what: string) {
  // Evaluated in the page as text: the test code is compiled without the DOM's types.
  const unnamed = await browser.page.evaluate<
    string[]
  >(`[...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
    .filter((e) => !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label')).map((e) => e.outerHTML)`);
  t.deepEqual(unnamed, [], `${what}: every control has a label`);
  const overflow = Number(
    await browser.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
  t.true(overflow <= 1, `${what}: no sideways scrolling`);
  t.is(await browser.page.locator('main').count(), 1);
}

test.serial(
  'when a citizen writes, verifies, submits, gets a reply and answers the survey in the browser, then every step works in Chinese',
  async (t) => {
    const { page } = browser;
    const phone = newPhone();
    await page.goto(`${gw.url}/web/`);
    t.is(await page.locator('h1').textContent(), '选择要写信的信箱');
    await accessible(t, 'directory');
    await browser.shot('01-directory');
    await page.getByRole('searchbox', { name: '搜索信箱' }).fill('春熙路');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('.results').getByRole('link', { name: '给春熙路街道信箱写信' }).click();
    t.is(await page.locator('h1').textContent(), '写信');

    // An empty form: the problems are listed first, focused, and tied to their fields.
    await page.getByRole('button', { name: '下一步：验证手机并提交' }).click();
    t.is(await page.evaluate('document.activeElement && document.activeElement.id'), 'error-summary');
    t.is(await page.getByLabel('内容').getAttribute('aria-invalid'), 'true');
    t.regex((await page.locator('#body-error').textContent()) ?? '', /请填写来信内容/);
    await browser.shot('02-write-errors');

    await page.getByLabel('投诉').check();
    await page.getByLabel('标题').fill('春熙路路灯不亮');
    await page.getByLabel('内容').fill('春熙路步行街东口路灯连续三晚不亮，夜间通行不安全，请尽快维修。');
    await page.getByLabel('照片').setInputFiles([{ name: '现场.png', mimeType: 'image/png', buffer: PNG }]);
    await page.getByLabel('地点或地址').fill('锦江区春熙路东口');
    await page.getByLabel('公开（隐去个人信息后可在网站展示）').check();
    await accessible(t, 'letter form');
    await browser.shot('03-write');
    await page.getByRole('button', { name: '下一步：验证手机并提交' }).click();

    t.is(await page.locator('h1').textContent(), '验证手机号');
    await page.getByLabel('手机号').fill(phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    const { code } = await codeSentTo(gw, `+86${phone}`);
    await page.getByLabel('短信验证码').fill(code);
    await accessible(t, 'verification');
    await browser.shot('04-verify');
    await page.getByRole('button', { name: '验证', exact: true }).click();

    t.is(await page.locator('h1').textContent(), '确认并提交');
    t.regex((await page.locator('main').textContent()) ?? '', /春熙路步行街东口路灯连续三晚不亮/);
    await browser.shot('05-confirm');
    await page.getByRole('button', { name: '提交来信' }).click();

    t.is(await page.locator('h1').textContent(), '来信详情');
    t.regex((await page.locator('.notice').textContent()) ?? '', /来信已提交/);
    const letterId = /letters\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const letter = await eventually(
      async () => {
        const l = await gw.services.db
          .selectFrom('letters')
          .select(['serial', 'extraction_code'])
          .where('id', '=', letterId)
          .executeTakeFirst();
        return l?.serial ? l : undefined;
      },
      30_000,
      'serial',
    );
    // The receipt page refreshes itself until the serial is there.
    await page.locator('#serial', { hasText: letter.serial! }).waitFor();
    t.is(await page.locator('#extraction-code').textContent(), letter.extraction_code);
    await browser.shot('06-receipt');

    const reply = await gw.api(`/api/v1/letters/${letterId}/replies`, {
      method: 'POST',
      json: { text: '经核查，春熙路东口路灯已于今日修复。感谢您的反映！', final: true },
    });
    t.is(reply.status, 202);
    await eventually(
      async () =>
        (await gw.services.db
          .selectFrom('surveys')
          .select('id')
          .where('letter_id', '=', letterId)
          .executeTakeFirst()) ?? undefined,
      30_000,
      'survey',
    );

    await page.goto(`${gw.url}/web/letters/${letterId}`);
    t.regex((await page.locator('.timeline').textContent()) ?? '', /春熙路东口路灯已于今日修复/);
    await accessible(t, 'letter page');
    await browser.shot('07-letter-with-reply');
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel('意见或建议').fill('修得很快，谢谢！');
    await page.getByRole('button', { name: '提交评价' }).click();
    t.regex((await page.locator('main').textContent()) ?? '', /您已评价：满意/);
    await browser.shot('08-survey-answered');
    const survey = await gw.services.db
      .selectFrom('surveys')
      .select(['state', 'score', 'answer_channel'])
      .where('letter_id', '=', letterId)
      .executeTakeFirstOrThrow();
    t.like(survey, { state: 'answered', score: 1, answer_channel: 'web' });
    t.deepEqual(errors, []);
  },
);

test.serial(
  'when the page is zoomed to 200 %, then the letter form still fits without sideways scrolling',
  async (t) => {
    const { page } = browser;
    // 200 % zoom of a 1280-pixel window lays the page out in 640 CSS pixels, with text twice as large.
    await page.setViewportSize({ width: 640, height: 900 });
    await page.goto(`${gw.url}/web/write?mailbox=street-510104-01`);
    await accessible(t, 'letter form at 200 %');
    await browser.shot('09-write-200-percent');
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto(`${gw.url}/web/`);
    await accessible(t, 'directory on a narrow phone');
    await browser.shot('10-directory-320');
  },
);
