import test from 'ava';
import type { Page } from 'playwright-core';
import { eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { startConsoleGateway, ADMIN_PASSWORD } from './_staff.js';
import { openBrowser, type Browser } from './_browser.js';

// The console with the keyboard only (Tab, Shift+Tab, Enter, Esc): log in, reach the letters list, open a letter, come
// back, open it again and reveal the citizen's phone with a reason given in the console's dialog (named, Tab kept
// inside it, Esc cancelling, the focus back on the button), every focused control showing its focus ring, in an order
// that follows the page. One gateway and one browser for the file.
let gw: TestGateway;
let browser: Browser;
let serial: string;

test.before(async () => {
  ({ gw } = await startConsoleGateway());
  const { letterId } = await gw.services.intake.submit(sampleIntake({ title: '小区路灯不亮' }));
  serial = await serialOf(gw.services.db, letterId);
  browser = await openBrowser();
});
test.after.always(async () => {
  await browser?.close();
  await gw?.stop();
});

interface Focused {
  id: string;
  tag: string;
  name: string;
  href: string;
  inMain: boolean;
  inHeader: boolean;
  inDialog: boolean;
  visible: boolean;
}

// What has the focus, and whether a sighted keyboard user sees where it is: a ring of at least 2 px (the console
// draws none at rest). Run in the page; the tests' TypeScript has no DOM types, so the browser side is source text.
const focusedSource = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
    href: el.getAttribute('href') ?? '',
    inMain: !!el.closest('main') && el.tagName !== 'MAIN',
    inHeader: !!el.closest('header'),
    inDialog: !!el.closest('dialog[open]'),
    visible: ring && el.getBoundingClientRect().height > 0,
  };
})()`;
const focused = (page: Page): Promise<Focused> => page.evaluate<Focused>(focusedSource);

/** Once a page has rendered, the console moves the focus to its content (as a person would see before pressing on). */
const mainHasFocus = (page: Page): Promise<true> =>
  eventually(async () => ((await focused(page)).id === 'main' ? true : undefined), 10_000, 'focus on the page');

/** Presses `key` until `done` holds for the focused element (at most `limit` times); returns every element passed. */
async function pressUntil(page: Page, key: string, done: (f: Focused) => boolean, limit = 40): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    seen.push(f);
    if (done(f)) return seen;
  }
  throw new Error(`after ${limit} × ${key} the focus never got there: ${seen.map((f) => f.name).join(' → ')}`);
}

test.serial(
  'when staff use only the keyboard, then they log in, open a letter from the list, go back, and reveal the phone with a reason in the dialog',
  async (t) => {
    const { page, shot } = browser;
    await page.goto(`${gw.url}/admin/`);

    // Login: the username field has the focus; Tab goes to the password, then to the button.
    await page.getByRole('heading', { name: '登录' }).waitFor();
    t.is((await focused(page)).id, 'login-user');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    t.is((await focused(page)).id, 'login-pass');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Tab');
    const button = await focused(page);
    t.like(button, { tag: 'button', name: '登录', visible: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '消息模板' }).waitFor();

    // Back up through the header to the skip link, then forward: the skip link first, then the navigation in its
    // visual order, so 来信 comes right after 消息模板.
    const back = await pressUntil(page, 'Shift+Tab', (f) => f.name === '跳到正文');
    t.true(
      back.every((f) => f.inHeader || f.name === '跳到正文'),
      'from the page, Shift+Tab climbs into the header',
    );
    t.true(back.at(-1)!.visible, 'the skip link shows when it has the focus');
    const forward = await pressUntil(page, 'Tab', (f) => f.name === '来信');
    t.deepEqual(
      forward.map((f) => f.name),
      ['消息模板', '来信'],
    );
    t.true(forward.every((f) => f.visible && f.inHeader));
    await shot('keyboard-01-nav');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '来信', exact: true }).waitFor();
    // A person waits for the list to show before pressing on; by then the page's content has the focus.
    await page.getByRole('link', { name: serial }).waitFor();
    await mainHasFocus(page);

    // The page's content takes the focus, so Tab goes on inside it (never back to the header) to the letter's link.
    const toLetter = await pressUntil(page, 'Tab', (f) => f.href.startsWith('#/letters/') && f.name === serial);
    t.true(
      toLetter.every((f) => f.inMain),
      toLetter.map((f) => f.name).join(' → '),
    );
    t.deepEqual(
      toLetter.filter((f) => !f.visible).map((f) => `${f.tag} ${f.name}`),
      [],
      'each control shows its focus',
    );
    await shot('keyboard-02-letters');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`来信 ${serial}`) }).waitFor();
    await mainHasFocus(page);

    // On the letter's page the first thing Tab reaches is the way back to the list.
    const toBack = await pressUntil(page, 'Tab', (f) => f.href === '#/letters', 5);
    t.is(toBack.length, 1, 'the way back is the first control of the page');
    t.like(toBack[0], { name: '← 返回来信列表', visible: true, inMain: true });
    await shot('keyboard-03-letter');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '来信', exact: true }).waitFor();
    // A person waits for the list to show before pressing on; by then the page's content has the focus.
    await page.getByRole('link', { name: serial }).waitFor();
    await mainHasFocus(page);
    const again = await pressUntil(page, 'Tab', (f) => f.name === serial);
    t.true(again.every((f) => f.inMain && f.visible));

    // Open it again and reveal the phone: the button opens a dialog named as the action, its reason field focused.
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`来信 ${serial}`) }).waitFor();
    await mainHasFocus(page);
    const toReveal = await pressUntil(page, 'Tab', (f) => f.name === '查看完整手机号');
    t.true(toReveal.every((f) => f.inMain && f.visible));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '查看完整手机号' });
    await dialog.waitFor();
    t.like(await focused(page), { id: 'reason-input', inDialog: true, visible: true });
    // Tab and Shift+Tab go round the dialog's own controls.
    const round: Focused[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      round.push(await focused(page));
    }
    t.deepEqual(
      round.map((f) => f.id || f.name),
      ['确定', '取消', 'reason-input', '确定'],
    );
    t.true(round.every((f) => f.inDialog && f.visible));
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    t.is((await focused(page)).name, '取消', 'Shift+Tab from the field goes round to the last button');
    // Esc cancels: nothing revealed, the focus back on the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    t.like(await focused(page), { name: '查看完整手机号', inMain: true, visible: true });
    t.is(await page.locator('#revealed').textContent(), '');

    // Again, with a reason too short first: the dialog says so and keeps the focus in the field.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('查');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: /原因/ }).waitFor();
    t.like(await focused(page), { id: 'reason-input', inDialog: true });
    await page.keyboard.type('询来电核实身份');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#revealed').filter({ hasText: '13800138000' }).waitFor();
    const audited = await gw.services.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('action', '=', 'letter.reveal_phone')
      .execute();
    t.deepEqual(
      audited.map((a) => a.reason),
      ['查询来电核实身份'],
    );
  },
);
