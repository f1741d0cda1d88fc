// Headless Chromium for the console's browser tests: Debian's `chromium` package driven by playwright-core, with a
// fresh profile per run. Screenshots are taken only when TEST_SCREENSHOTS=1 asks for them (encoding a full-page PNG
// for every page and role is CPU the suite cannot spare); they go to test-results/admin/ (ignored by git).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join('test-results', 'admin');

export interface Browser {
  page: Page;
  shot: (name: string) => Promise<void>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Folder for screenshots (default test-results/admin). */
  screenshots?: string;
  viewport?: { width: number; height: number };
  /** How long a page action may wait (default 10 s). */
  timeoutMs?: number;
}

export async function openBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const shots = options.screenshots ?? SCREENSHOTS;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the console's browser tests need Debian's chromium package (apt-get install -y chromium; .ci/run installs it).`,
    );
  }
  const takeShots = process.env.TEST_SCREENSHOTS === '1';
  if (takeShots) mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // As long as the suite's other waits for a state: a page on a busy two-core machine can take more than 10 s.
  page.setDefaultTimeout(options.timeoutMs ?? 30_000);
  return {
    page,
    shot: async (name) => {
      if (!takeShots) return;
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
