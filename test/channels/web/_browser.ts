// Headless Chromium for the web mailbox's end-to-end test: the console tests' browser (Debian's chromium through
// playwright-core, a fresh profile per run) at a phone's size. Screenshots go to test-results/web/.
import { join } from 'node:path';
import { openBrowser, type Browser } from '../../admin/_browser.js';

export type CitizenBrowser = Browser;

export function openCitizenBrowser(viewport = { width: 414, height: 896 }): Promise<CitizenBrowser> {
  return openBrowser({ screenshots: join('test-results', 'web'), viewport });
}
