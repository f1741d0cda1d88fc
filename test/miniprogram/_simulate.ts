// Renders the mini-program's pages with miniprogram-simulate in jsdom, with a `wx` whose request and uploadFile go
// over real HTTP to the gateway the test started, so the app and the API are tested together. Everything else the
// pages ask of WeChat (login, consent dialog, photos, location, navigation, clipboard) is scripted and recorded.
import { createRequire } from 'node:module';
import { accessSync, copyFileSync, mkdtempSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { TestFn } from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

// jsdom ships no types; these few members are all the tests touch.
interface DomNode {
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<DomNode>;
}
interface DomDocument {
  createElement(tag: string): DomNode;
}
interface JsdomConstructor {
  new (
    html: string,
    o: { pretendToBeVisual: boolean },
  ): { window: Record<string, unknown> & { document: DomDocument } };
}

const require = createRequire(import.meta.url);
const { JSDOM } = require('jsdom') as { JSDOM: JsdomConstructor };
const jsdom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
const g = globalThis as unknown as Record<string, unknown>;
const document = jsdom.window.document;
// miniprogram-simulate renders into the global DOM, as in a browser.
g.window = jsdom.window;
g.document = document;
for (const k of ['Event', 'CustomEvent', 'HTMLElement', 'Element', 'Node', 'MutationObserver', 'getComputedStyle'])
  g[k] = jsdom.window[k];

export const mpRoot = fileURLToPath(new URL('../../miniprogram/', import.meta.url));
/** The address the app is built with (miniprogram/config.ts); requests to it are sent to the test gateway. */
const APP_API_BASE = 'http://localhost:8080';

interface DomWrapper {
  dom: DomNode;
  dispatchEvent(event: string, init?: { detail?: unknown }): void;
}
export interface RenderedPage extends DomWrapper {
  instance: Record<string, (...args: unknown[]) => unknown> & { data: Record<string, unknown> };
  data: Record<string, unknown>;
  attach(parent: DomNode): void;
  detach(): void;
  querySelector(selector: string): DomWrapper | undefined;
  querySelectorAll(selector: string): DomWrapper[];
}
interface Simulate {
  load(path: string, options: { compiler: 'simulate'; rootPath: string }): string;
  render(id: string, props?: Record<string, unknown>): RenderedPage;
}
const simulate = require('miniprogram-simulate') as Simulate;

type Callbacks<T> = { success?: (r: T) => void; fail?: (e: { errMsg: string }) => void; complete?: () => void };

export interface WxScript {
  /** The `dev:<name>` login code the sandbox gateway accepts. */
  user: string;
  /** A WeChat login code instead (a live gateway, WeChat faked by nock). */
  loginCode?: string;
  consent: Record<string, string>;
  chosenPhotos: string[];
  location: { latitude: number; longitude: number; name: string; address: string } | null;
  /** Paths whose next request fails as a network error after the gateway has answered (the answer is lost). */
  loseNextAnswer: Set<string>;
  /**
   * The privacy guide: agreed already (default), still to be agreed (WeChat calls the page's
   * onNeedPrivacyAuthorization listener and waits for its resolve), or an interface not declared in it (errno 112).
   */
  privacy?: 'agreed' | 'needed' | 'undeclared';
  /** How many of the next uploads fail the way wx.uploadFile fails when the connection drops. */
  uploadFailures?: number;
  /** No network: every request and upload fails at once, as WeChat does offline. */
  offline?: boolean;
  /** The citizen closes the dialer's confirmation instead of calling. */
  callCancelled?: boolean;
}

export interface WxRecord {
  storage: Map<string, unknown>;
  navigations: string[];
  clipboard: string[];
  consentAsked: string[][];
  compressed: string[];
  requests: string[];
  /** Interfaces for which WeChat asked the page's privacy popup. */
  privacyAsked: string[];
  /** What the page answered WeChat (exposure, agree, disagree). */
  privacyAnswers: string[];
  contractsOpened: number;
  calls: string[];
  /** The app's user-data folder (wx.env.USER_DATA_PATH), a real folder here. */
  userDataPath: string;
}

let inflight = 0;

export function installWx(gatewayUrl: string, script: WxScript): WxRecord {
  const rec: WxRecord = {
    storage: new Map(),
    navigations: [],
    clipboard: [],
    consentAsked: [],
    compressed: [],
    requests: [],
    privacyAsked: [],
    privacyAnswers: [],
    contractsOpened: 0,
    calls: [],
    userDataPath: mkdtempSync(join(tmpdir(), 'mp-user-data-')),
  };
  let privacyListener: ((resolve: (r: { event: string; buttonId?: string }) => void) => void) | null = null;
  /** Runs a privacy-covered API the way WeChat does: 112 if undeclared, the page's popup first if not agreed yet. */
  const privacyCovered = <T>(
    api: string,
    o: Callbacks<T> & { fail?: (e: { errMsg: string; errno?: number }) => void },
    run: () => void,
  ) => {
    const state = script.privacy ?? 'agreed';
    if (state === 'undeclared') {
      setTimeout(() => {
        o.fail?.({ errMsg: `${api}:fail api scope is not declared in the privacy agreement`, errno: 112 });
        o.complete?.();
      }, 0);
      return;
    }
    if (state === 'agreed' || !privacyListener) {
      run();
      return;
    }
    rec.privacyAsked.push(api);
    privacyListener((r) => {
      rec.privacyAnswers.push(r.event);
      if (r.event === 'exposureAuthorization') return;
      if (r.event === 'agree' && r.buttonId) {
        script.privacy = 'agreed';
        run();
      } else {
        setTimeout(() => {
          o.fail?.({ errMsg: `${api}:fail privacy permission is not authorized`, errno: 104 });
          o.complete?.();
        }, 0);
      }
    });
  };
  const track = async (work: () => Promise<void>) => {
    inflight++;
    try {
      await work();
    } finally {
      inflight--;
    }
  };
  const ok = <T>(o: Callbacks<T>, r: T) =>
    setTimeout(() => {
      o.success?.(r);
      o.complete?.();
    }, 0);
  const fail = <T>(o: Callbacks<T>, errMsg: string) =>
    setTimeout(() => {
      o.fail?.({ errMsg });
      o.complete?.();
    }, 0);
  const target = (url: string) => url.replace(APP_API_BASE, gatewayUrl);
  const wxShim = {
    request(
      o: Callbacks<{ statusCode: number; data: unknown }> & {
        url: string;
        method?: string;
        data?: unknown;
        header?: Record<string, string>;
      },
    ) {
      const path = new URL(o.url).pathname;
      rec.requests.push(`${o.method ?? 'GET'} ${path}`);
      if (script.offline) return fail(o, 'request:fail -101:net::ERR_INTERNET_DISCONNECTED');
      void track(async () => {
        const res = await fetch(target(o.url), {
          method: o.method ?? 'GET',
          headers: o.header ?? {},
          body: o.data === undefined || o.method === 'GET' ? undefined : JSON.stringify(o.data),
        });
        const text = await res.text();
        if (script.loseNextAnswer.delete(path)) fail(o, 'request:fail timeout');
        else ok(o, { statusCode: res.status, data: text ? (JSON.parse(text) as unknown) : '' });
      });
    },
    uploadFile(
      o: Callbacks<{ statusCode: number; data: string }> & {
        url: string;
        filePath: string;
        name: string;
        header?: Record<string, string>;
      },
    ) {
      rec.requests.push(`UPLOAD ${o.filePath}`);
      if (script.offline) return fail(o, 'uploadFile:fail -101:net::ERR_INTERNET_DISCONNECTED');
      if ((script.uploadFailures ?? 0) > 0) {
        script.uploadFailures!--;
        return fail(o, 'uploadFile:fail socket timeout');
      }
      void track(async () => {
        const form = new FormData();
        form.set(o.name, new Blob([readFileSync(o.filePath)]), o.filePath.split('/').pop());
        const res = await fetch(target(o.url), { method: 'POST', headers: o.header ?? {}, body: form });
        ok(o, { statusCode: res.status, data: await res.text() });
      });
    },
    login: (o: Callbacks<{ code: string }>) => ok(o, { code: script.loginCode ?? `dev:${script.user}` }),
    getStorageSync: (k: string) => (rec.storage.has(k) ? structuredClone(rec.storage.get(k)) : ''),
    setStorageSync: (k: string, v: unknown) => void rec.storage.set(k, structuredClone(v)),
    removeStorageSync: (k: string) => void rec.storage.delete(k),
    navigateTo: (o: { url: string }) => void rec.navigations.push(o.url),
    redirectTo: (o: { url: string }) => void rec.navigations.push(`redirect:${o.url}`),
    reLaunch: (o: { url: string }) => void rec.navigations.push(`relaunch:${o.url}`),
    navigateBack: () => void rec.navigations.push('back'),
    setClipboardData: (o: { data: string } & Callbacks<unknown>) =>
      privacyCovered('setClipboardData', o, () => {
        rec.clipboard.push(o.data);
        ok(o, {});
      }),
    requestSubscribeMessage: (o: { tmplIds: string[] } & Callbacks<Record<string, string>>) => {
      rec.consentAsked.push(o.tmplIds);
      ok(o, { errMsg: 'requestSubscribeMessage:ok', ...script.consent });
    },
    chooseMedia: (o: Callbacks<{ tempFiles: { tempFilePath: string; size: number }[] }>) =>
      privacyCovered('chooseMedia', o, () =>
        script.chosenPhotos.length > 0
          ? ok(o, { tempFiles: script.chosenPhotos.map((p) => ({ tempFilePath: p, size: readFileSync(p).length })) })
          : fail(o, 'chooseMedia:fail cancel'),
      ),
    compressImage: (o: { src: string } & Callbacks<{ tempFilePath: string }>) => {
      rec.compressed.push(o.src);
      ok(o, { tempFilePath: o.src });
    },
    chooseLocation: (o: Callbacks<NonNullable<WxScript['location']>>) =>
      privacyCovered('chooseLocation', o, () =>
        script.location ? ok(o, script.location) : fail(o, 'chooseLocation:fail cancel'),
      ),
    makePhoneCall: (o: { phoneNumber: string } & Callbacks<unknown>) => {
      if (script.callCancelled) return fail(o, 'makePhoneCall:fail cancel');
      rec.calls.push(o.phoneNumber);
      ok(o, {});
    },
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0123456789abcdef', envVersion: 'develop', version: '' } }),
    env: { USER_DATA_PATH: rec.userDataPath },
    getPrivacySetting: (o: Callbacks<{ needAuthorization: boolean; privacyContractName: string }>) =>
      ok(o, { needAuthorization: script.privacy === 'needed', privacyContractName: '《网络理政小程序隐私保护指引》' }),
    onNeedPrivacyAuthorization: (listener: typeof privacyListener) => {
      privacyListener = listener;
    },
    openPrivacyContract: (o: Callbacks<unknown>) => {
      rec.contractsOpened++;
      ok(o, {});
    },
    // The file system as WeChat's FileSystemManager answers: sync calls throw, async ones call fail with errMsg.
    getFileSystemManager: () => ({
      copyFile: (o: { srcPath: string; destPath: string } & Callbacks<unknown>) => {
        try {
          copyFileSync(o.srcPath, o.destPath);
          ok(o, {});
        } catch {
          fail(o, `copyFile:fail no such file or directory, copyFile ${o.srcPath} -> ${o.destPath}`);
        }
      },
      accessSync: (path: string) => {
        try {
          accessSync(path);
        } catch {
          throw new Error(`accessSync:fail no such file or directory ${path}`);
        }
      },
      statSync: (path: string) => {
        try {
          return { size: statSync(path).size, isFile: () => true, isDirectory: () => false };
        } catch {
          throw new Error(`statSync:fail no such file or directory ${path}`);
        }
      },
      unlink: (o: { filePath: string } & Callbacks<unknown>) => {
        try {
          unlinkSync(o.filePath);
          ok(o, {});
        } catch {
          fail(o, `unlink:fail no such file or directory ${o.filePath}`);
        }
      },
    }),
  };
  Object.assign(g.wx as object, wxShim);
  return rec;
}

/** Waits until the app's requests (and what they start) have all come back. */
export async function settle(): Promise<void> {
  for (let quiet = 0; quiet < 4;) {
    await new Promise((r) => setTimeout(r, 15));
    quiet = inflight === 0 ? quiet + 1 : 0;
  }
}

/** Loads and attaches a page or component as the runtime would, then runs its onLoad with the query. */
export async function openPage(name: string, query: Record<string, string> = {}): Promise<RenderedPage> {
  const id = simulate.load(join(mpRoot, name, 'index'), { compiler: 'simulate', rootPath: mpRoot });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad?.(query);
  await page.instance.onShow?.();
  await settle();
  return page;
}

export function text(page: RenderedPage, selector: string): string {
  return page.querySelector(selector)?.dom.textContent?.trim() ?? '';
}

export async function tap(page: RenderedPage, selector: string): Promise<void> {
  const el = page.querySelector(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent('tap');
  await settle();
}

export async function type(page: RenderedPage, selector: string, value: string): Promise<void> {
  const el = page.querySelector(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent('input', { detail: { value } });
  await settle();
}

/** What every app test file sets up: one gateway for the file, and per test a fresh citizen with a fresh `wx`. */
export interface AppTest {
  gw: TestGateway;
  script: WxScript;
  rec: WxRecord;
}

/** Registers the hooks: the gateway before the file (stopped after), a new script and `wx` before each test. */
export function appTest(test: TestFn, user: (title: string) => string, env: Record<string, string> = {}): AppTest {
  const app = {} as AppTest;
  test.before(async () => {
    app.gw = await startTestGateway(env);
  });
  test.after.always(async () => {
    await app.gw?.stop();
  });
  test.beforeEach((t) => {
    app.script = {
      user: `${user(t.title)}-${randomBytes(4).toString('hex')}`,
      consent: {},
      chosenPhotos: [],
      location: null,
      loseNextAnswer: new Set(),
    };
    app.rec = installWx(app.gw.url, app.script);
  });
  return app;
}

/** Writes a letter through the write page (a saved draft, then 提交) and answers the new letter's id. */
export async function letterInApp(app: AppTest, draft: Record<string, unknown> = {}): Promise<string> {
  app.rec.storage.set('mp.draft', {
    clientKey: `key-${randomBytes(6).toString('hex')}`,
    kind: 'consultation',
    mailbox: { id: 'city-12345', name: '市民服务热线12345' },
    title: '公交线路咨询',
    body: '请问从玉林小区到市第三人民医院有没有直达的公交线路？',
    visibility: 'private',
    ...draft,
  });
  const write = await openPage('pages/write');
  await tap(write, '.submit');
  const redirect = app.rec.navigations.find((n) => n.startsWith('redirect:/pages/submitted/index'));
  if (!redirect) throw new Error(`not submitted: ${text(write, '.message')}`);
  return new URLSearchParams(redirect.split('?')[1]).get('id')!;
}
