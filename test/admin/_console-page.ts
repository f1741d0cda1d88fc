// What the console's browser tests share about reading a page: open it fresh and wait until it has loaded, read the
// text a staff member reads, and check that text for untranslated identifiers and the page for axe-core problems.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';

/** Opens a console page by a fresh load and waits until it has loaded its data. */
export async function openConsolePage(page: Page, baseUrl: string, path: string): Promise<void> {
  // A fresh load, not a change of hash: that is routed after goto returns, and the previous page would still show.
  await page.goto('about:blank');
  await page.goto(`${baseUrl}/admin/#/${path}`);
  await page.locator('main h2').first().waitFor();
  await page.waitForFunction("!document.querySelector('main').textContent.includes('正在加载')");
}

// Runs in the page (the tests' TypeScript has no DOM types, so it is given as source). What is shown to be copied
// (ids, serials, raw data) is left out.
const readableTextSource = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('code, pre, .mono, script, style, textarea, #toast')) continue;
    if (el.tagName !== 'OPTION' && !el.checkVisibility()) continue;
    out.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label]')) out.push(el.getAttribute('aria-label'));
  return out.join('\\n');
})()`;

/** The visible text of the page and its aria-labels, as a staff member (or a screen reader) meets them. */
export function readableText(page: Page): Promise<string> {
  return page.evaluate<string>(readableTextSource);
}

const untranslated = [
  /\[object Object\]/,
  /\b[a-z]+(?:_[a-z0-9]+)+\b/, // snake_case identifiers
  /\b[a-z]+(?:\.[a-z_]+)+\b/, // dotted keys
  // Channel, route, status and kind ids, and what a missing value prints as.
  /\b(?:sms|custom|template|subscribe|receipt|reply|notice|forwarded|pending|queued|sent|delivered|failed|fallback|accepted|rejected|received|closed|complaint|suggestion|consultation|wechat-oa|wechat-mp|city-management|traffic|mailboxLevel|department|topic|region|undefined|null|NaN)\b/,
];

/** Fails `t` for each identifier left untranslated in `text`, quoting where it stands. */
export function assertAllChinese(t: ExecutionContext, text: string): void {
  for (const p of untranslated) {
    const m = p.exec(text);
    t.is(
      m?.[0],
      undefined,
      `untranslated “${m?.[0]}” in …${m ? text.slice(Math.max(0, m.index - 40), m.index + 40) : ''}…`,
    );
  }
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page. axe is injected here, into the loaded page only: as an
 * init script it was parsed on every navigation (twice per page opened) and cost more than the checks themselves.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axeSource);
  return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`);
}
