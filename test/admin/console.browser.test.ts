import test from 'ava';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { phoneToken } from '../_support/pii.js';
import { ADMIN_PASSWORD, staffClient, type StaffClient } from './_staff.js';
import { backOffForAnHour, fakeCaseStore, type FakeCaseStore } from './_case-store.js';
import { openBrowser, type Browser } from './_browser.js';

let gw: TestGateway;
let caseStore: FakeCaseStore;
let browser: Browser;
let admin: StaffClient;
let stuckLetter: string;
const errors: string[] = [];

test.before(async () => {
  caseStore = await fakeCaseStore();
  gw = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    CASE_STORE_URL: caseStore.url,
    CASE_STORE_SECRET: 'case-store-secret-0123456789',
    FORWARD_STUCK_AFTER_SECONDS: '1',
    SURVEY_DELAY_SECONDS: '0',
  });
  admin = staffClient(gw);
  await admin.login('admin', ADMIN_PASSWORD);
  const created = await admin.call('POST', '/staff', {
    username: 'xiaowang',
    displayName: '小王',
    role: 'operator',
    password: 'xiaowang-password-2026',
  });
  if (created.status !== 201) throw new Error(`creating the new staff member failed: ${created.status}`);
  // The case store is down: this letter gets stuck until someone retries it.
  stuckLetter = (await gw.services.intake.submit(sampleIntake())).letterId;
  browser = await openBrowser();
  browser.page.on('pageerror', (e) => errors.push(e.message));
  browser.page.on('dialog', (d) => void d.accept());
});
test.after.always(async () => {
  await browser?.close();
  await gw?.stop();
  await caseStore?.close();
});

test.serial('when a new staff member logs in, then the console shows the templates page with their name', async (t) => {
  const { page, shot } = browser;
  await page.goto(`${gw.url}/admin/`);
  await page.getByLabel('用户名').fill('xiaowang');
  await page.getByLabel('密码').fill('wrong-password-here');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  await page.getByLabel('密码').fill('xiaowang-password-2026');
  await page.getByLabel('密码').press('Enter');
  await page.getByRole('heading', { name: '消息模板' }).waitFor();
  t.true(await page.getByText('小王（操作员）').isVisible());
  t.is(await page.getByRole('link', { name: 'API 密钥' }).count(), 0);
  await shot('01-logged-in');
});

test.serial(
  'when an SMS template is edited with a mistake, then the error shows beside the field and saving is refused',
  async (t) => {
    const { page, shot } = browser;
    await page.goto(`${gw.url}/admin/#/templates/sms/sms/receipt`);
    const params = page.locator('#tpl-params');
    await params.fill('serial={{serail}}\ncode={{extractionCode}}');
    await page.locator('#tpl-params-err').filter({ hasText: '{{serail}}' }).waitFor();
    t.is(await params.getAttribute('aria-invalid'), 'true');
    await shot('02-template-error');
    await page.locator('#tpl-save').click();
    await page.locator('#toast').filter({ hasText: '保存失败' }).waitFor();
    const versions = await gw.services.templates.history('sms', 'receipt', 'sms');
    t.is(versions.length, 1);
  },
);

test.serial(
  'when the mistake is fixed, then the preview shows the SMS as the citizen gets it and saving makes version 2',
  async (t) => {
    const { page, shot } = browser;
    await page.locator('#tpl-params').fill('serial={{serial}}\ncode={{extractionCode}}');
    await page.locator('#tpl-text').fill('新版回执：您的来信已受理，流水号${serial}，提取码${code}。');
    const preview = page.locator('[data-testid="sms-preview"]');
    await preview.filter({ hasText: '新版回执：您的来信已受理，流水号CD20261126000123，提取码402816。' }).waitFor();
    t.regex((await preview.textContent()) ?? '', /^【市民热线】新版回执/);
    t.is(await page.locator('#tpl-params').getAttribute('aria-invalid'), null);
    await page.getByText('计 1 条短信').waitFor();
    await shot('03-template-preview');
    await page.locator('#tpl-save').click();
    await page.locator('#toast').filter({ hasText: '已保存为版本 v2' }).waitFor();
    await page.getByRole('cell', { name: 'v2（使用中）' }).waitFor();
    t.is((await gw.services.templates.history('sms', 'receipt', 'sms'))[0]!.version, 2);
  },
);

test.serial(
  'when a stuck letter is found and retried, then it is forwarded and its receipt uses the new template version',
  async (t) => {
    const { page, shot } = browser;
    await eventually(
      async () =>
        (
          await gw.services.db
            .selectFrom('letters')
            .select('stuck_at')
            .where('id', '=', stuckLetter)
            .executeTakeFirstOrThrow()
        ).stuck_at
          ? true
          : undefined,
      30_000,
      'stuck letter',
    );
    await backOffForAnHour(gw.services.db, stuckLetter);
    await page.goto(`${gw.url}/admin/#/letters`);
    await page.locator('#q-forwardState').selectOption('stuck');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator(`a[href="#/letters/${stuckLetter}"]`).click();
    await page.getByText('卡住').first().waitFor();
    t.false((await page.locator('main').textContent())!.includes('13800138000'));
    const { forward_attempts: tries } = await gw.services.db
      .selectFrom('letters')
      .select('forward_attempts')
      .where('id', '=', stuckLetter)
      .executeTakeFirstOrThrow();
    t.true(tries > 0);
    await page.getByText(`尝试 ${tries} 次`).waitFor();
    t.false((await page.locator('main').textContent())!.includes('[object Object]'));
    await shot('04-stuck-letter');
    caseStore.mode = 'up';
    await page.locator('#retry-letter').click();
    await page.locator('#toast').filter({ hasText: '已重新排队转交' }).waitFor();
    await eventually(async () => {
      const d = await gw.services.db
        .selectFrom('deliveries')
        .select('status')
        .where('letter_id', '=', stuckLetter)
        .executeTakeFirst();
      return d?.status === 'sent' ? true : undefined;
    });
    await page.reload();
    await page.getByText('模板版本 v2').waitFor();
    t.true((await page.locator('main').textContent())!.includes('新版回执'));
    await shot('05-letter-retried');
  },
);

test.serial('when a template is rolled back, then the old content becomes version 3', async (t) => {
  const { page } = browser;
  await page.goto(`${gw.url}/admin/#/templates/sms/sms/receipt`);
  await page.getByRole('button', { name: '回滚到 v1' }).click();
  // The question is the console's own dialog (window.confirm could not be labelled or translated).
  await page.getByRole('dialog', { name: '确定回滚到版本 v1？' }).getByRole('button', { name: '确定' }).click();
  await page.locator('#toast').filter({ hasText: '已回滚：新版本 v3' }).waitFor();
  const [v3, , v1] = await gw.services.templates.history('sms', 'receipt', 'sms');
  t.is(v3!.version, 3);
  t.deepEqual(v3!.content, v1!.content);
  await page.getByRole('cell', { name: 'v3（使用中）' }).waitFor();
  await browser.shot('06-rolled-back');
});

test.serial(
  'when a staff member plays a citizen by SMS in the simulator, then the gateway answers as on SMS, through the survey',
  async (t) => {
    const { page, shot } = browser;
    await page.goto(`${gw.url}/admin/#/sandbox`);
    await page.getByLabel('渠道').selectOption('sms');
    t.is(await page.getByLabel('市民（手机号或 openid）').inputValue(), '+8613700137000');
    const send = async (text: string) => {
      await page.getByLabel('消息内容').fill(text);
      await page.getByRole('button', { name: '以市民身份发送' }).click();
      await page.locator('#toast').filter({ hasText: '已发送' }).last().waitFor();
    };
    await send('路口红绿灯不亮了，请尽快修理');
    await send('提交');
    const outbox = page.locator('#sim-outbox');
    await outbox.filter({ hasText: /您的来信已受理，受理流水号CD2026\d+，提取码\d{6}/ }).waitFor({ timeout: 20_000 });
    await shot('08-simulator-receipt');
    const letter = await gw.services.db
      .selectFrom('letters')
      .select('id')
      .where('citizen_id', '=', await phoneToken(gw, '+8613700137000'))
      .executeTakeFirstOrThrow();
    t.is(
      (
        await gw.api(`/api/v1/letters/${letter.id}/replies`, {
          method: 'POST',
          json: { text: '红绿灯已修复。', final: true },
        })
      ).status,
      202,
    );
    await outbox.filter({ hasText: '办理结果满意吗' }).waitFor({ timeout: 20_000 });
    await send('1');
    await outbox.filter({ hasText: '感谢您的评价' }).waitFor({ timeout: 20_000 });
    await shot('09-simulator-survey');
  },
);

test.serial(
  'when the statistics page opens, then the letters per day, reply rate and satisfaction charts are drawn',
  async (t) => {
    const { page, shot } = browser;
    await page.goto(`${gw.url}/admin/#/stats`);
    await page.locator('svg.chart rect.bar').first().waitFor();
    t.true((await page.locator('svg.chart rect.bar').count()) >= 1);
    t.regex((await page.locator('svg.chart desc').textContent()) ?? '', /短信 [1-9]\d*/);
    await page.locator('#reply-rate-chart svg rect.bar').first().waitFor();
    t.regex((await page.locator('#reply-rate-chart svg').getAttribute('aria-label')) ?? '', /答复率：短信 \d+(\.\d)?%/);
    await page.locator('#satisfaction-chart svg rect.bar').first().waitFor();
    t.regex((await page.locator('#satisfaction-chart svg').getAttribute('aria-label')) ?? '', /满意率：短信 100%/);
    t.regex((await page.locator('td.satisfaction').first().textContent()) ?? '', /100%（[1-9]\d* 份回答）/);
    await shot('10-statistics');
    t.deepEqual(errors, []);
  },
);

test.serial(
  'when a viewer uses the console on a phone-sized screen, then templates are read-only and the page does not overflow sideways',
  async (t) => {
    t.is(
      (
        await admin.call('POST', '/staff', {
          username: 'guest',
          displayName: '访客',
          role: 'viewer',
          password: 'guest-password-2026',
        })
      ).status,
      201,
    );
    const { page, shot } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('用户名').waitFor();
    await page.getByLabel('用户名').fill('guest');
    await page.getByLabel('密码').fill('guest-password-2026');
    await page.keyboard.press('Enter');
    await page.getByText('访客（只读）').waitFor();
    await page.goto(`${gw.url}/admin/#/templates/sms/sms/receipt`);
    await page.getByText('只读账号不能修改模板').waitFor();
    t.is(await page.locator('#tpl-save').count(), 0);
    t.is(await page.getByRole('button', { name: /回滚/ }).count(), 0);
    const overflow = Number(
      await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    );
    t.true(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot('11-viewer-phone');
  },
);
