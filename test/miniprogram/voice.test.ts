// Voice input on the write page through WeChat's 同声传译 plug-in, faked the way the plug-in and wx.authorize behave:
// recognised text appended (never replacing), the body's limit kept, refusals and plug-in errors leaving the body as is.
import test from 'ava';
import { appTest, openPage, tap, text, type, type RenderedPage } from './_simulate.js';

const app = appTest(test, (title) => `voice-${title.length}`);
const g = globalThis as unknown as Record<string, unknown>;

interface Speech {
  /** What the plug-in hears; or the error code its onError reports when the recording stops. */
  result?: string;
  retcode?: number;
  /** scope.record: not asked yet and the citizen allows or refuses it, already refused, or privacy guide declined. */
  record: 'allow' | 'refuse' | 'refused' | 'privacy-declined';
}
interface Manager {
  start(o: { duration: number; lang: string }): void;
  stop(): void;
  onStart?: () => void;
  onStop?: (r: { result: string; tempFilePath: string; duration: number; fileSize: number }) => void;
  onError?: (r: { retcode: number; msg: string }) => void;
}

let speech: Speech;
let started: { duration: number; lang: string }[];
let authorizeAsked: number;
let settingsOpened: number;

test.beforeEach(() => {
  speech = { result: '', record: 'allow' };
  started = [];
  authorizeAsked = 0;
  settingsOpened = 0;
  const auth: Record<string, boolean> = {};
  const later = (f: () => void) => setTimeout(f, 0);
  type Cb<T> = { success?: (r: T) => void; fail?: (e: { errMsg: string; errno?: number }) => void };
  Object.assign(g.wx as object, {
    getSetting: (o: Cb<{ authSetting: Record<string, boolean> }>) =>
      later(() => o.success?.({ authSetting: { ...auth } })),
    authorize: (o: { scope: string } & Cb<unknown>) => {
      authorizeAsked++;
      later(() => {
        if (speech.record === 'privacy-declined')
          return o.fail?.({ errMsg: 'authorize:fail privacy permission is not authorized', errno: 104 });
        if (speech.record === 'allow') {
          auth[o.scope] = true;
          return o.success?.({ errMsg: 'authorize:ok' });
        }
        // WeChat remembers the refusal: the dialog is not shown again, only the settings page can turn it on.
        auth[o.scope] = false;
        speech.record = 'refused';
        o.fail?.({ errMsg: 'authorize:fail auth deny', errno: 103 });
      });
    },
    openSetting: (o: Cb<{ authSetting: Record<string, boolean> }>) => {
      settingsOpened++;
      auth['scope.record'] = true;
      speech.record = 'allow';
      later(() => o.success?.({ authSetting: { ...auth } }));
    },
  });
  // One manager for the whole app, as the plug-in gives; listeners are set as properties.
  const manager: Manager = {
    start(o) {
      started.push(o);
      later(() => manager.onStart?.());
    },
    stop() {
      later(() => {
        if (speech.retcode !== undefined) manager.onError?.({ retcode: speech.retcode, msg: 'recognize fail' });
        else
          manager.onStop?.({
            result: speech.result ?? '',
            tempFilePath: 'wxfile://tmp/a.mp3',
            duration: 4000,
            fileSize: 9000,
          });
      });
    },
  };
  g.requirePlugin = (name: string) => {
    if (name !== 'WechatSI') throw new Error(`plugin ${name} is not defined`);
    return { getRecordRecognitionManager: () => manager };
  };
});

const body = (page: RenderedPage) => (page.instance.data.draft as { body: string }).body;
const savedBody = () => ((app.rec.storage.get('mp.draft') ?? {}) as { body?: string }).body;
const voiceLabel = (page: RenderedPage) => page.instance.data.voiceState;

async function speak(page: RenderedPage) {
  await tap(page, '.voice');
  await tap(page, '.voice');
}

test.serial(
  'when the citizen speaks after typing, then the recognised text is appended and the microphone is asked only at the first tap',
  async (t) => {
    speech.result = '路灯晚上不亮。';
    const page = await openPage('pages/write');
    t.is(authorizeAsked, 0, 'nothing asked on page load');
    await type(page, '.body', '玉林路小区门口的路灯坏了一个月');
    await tap(page, '.voice');
    t.is(authorizeAsked, 1);
    t.deepEqual(started, [{ duration: 60_000, lang: 'zh_CN' }]);
    t.is(voiceLabel(page), 'recording');
    t.is(text(page, '.voice'), '■ 说完了');
    t.regex(text(page, '.voice-hint'), /正在听/);
    await tap(page, '.voice');
    t.is(voiceLabel(page), 'idle');
    t.is(body(page), '玉林路小区门口的路灯坏了一个月路灯晚上不亮。');
    t.is(savedBody(), body(page), 'the draft on the phone has it too');
    t.is(text(page, '.counter'), `${body(page).length}/5000字`);
    t.is(text(page, '.voice-message'), '已加入7个字，请核对识别结果');
    // The second time WeChat already has the permission: no dialog.
    speech.result = '请尽快修理';
    await speak(page);
    t.is(authorizeAsked, 1);
    t.is(body(page), '玉林路小区门口的路灯坏了一个月路灯晚上不亮。请尽快修理');
  },
);

test.serial('when the recognised text does not fit, then only what fits is added and the limit is kept', async (t) => {
  const typed = '路'.repeat(4995);
  speech.result = '一二三四五六七八九十';
  const page = await openPage('pages/write');
  await type(page, '.body', typed);
  await speak(page);
  t.is(body(page), `${typed}一二三四五`);
  t.is(body(page).length, 5000);
  t.is(text(page, '.voice-message'), '内容已到5000字上限，识别的文字只加入了5个字');
  // Full: the microphone is not even started.
  await tap(page, '.voice');
  t.is(started.length, 1);
  t.is(text(page, '.voice-message'), '内容已到5000字上限，不能再加入语音识别的文字');
  t.is(body(page).length, 5000);
});

test.serial(
  'when the citizen refuses the microphone, then the body stays, the message guides to the settings, and allowing there clears it',
  async (t) => {
    speech.record = 'refuse';
    const page = await openPage('pages/write');
    await type(page, '.body', '已经写好的内容');
    await tap(page, '.voice');
    t.deepEqual(started, []);
    t.is(voiceLabel(page), 'idle');
    t.is(body(page), '已经写好的内容');
    t.regex(text(page, '.voice-message'), /您没有允许使用麦克风.*去设置/);
    // Refused once, WeChat asks no more: the next tap goes straight to the message.
    await tap(page, '.voice');
    t.is(authorizeAsked, 1);
    await tap(page, '.voice-settings');
    t.is(settingsOpened, 1);
    t.is(text(page, '.voice-message'), '');
    t.falsy(page.querySelector('.voice-settings'));
    speech.result = '补充一句';
    await speak(page);
    t.is(body(page), '已经写好的内容补充一句');
  },
);

test.serial(
  'when the privacy guide was declined or the plug-in fails, then a Chinese message and the body untouched',
  async (t) => {
    speech.record = 'privacy-declined';
    const page = await openPage('pages/write');
    await type(page, '.body', '已经写好的内容');
    await tap(page, '.voice');
    t.deepEqual(started, []);
    t.regex(text(page, '.voice-message'), /您没有同意隐私保护指引，语音输入暂时不能用/);
    // The guide in the app says what the microphone is used for.
    const guide = await openPage('pages/privacy');
    t.regex(text(guide, '.microphone'), /^麦克风（语音输入）：您点“语音输入”时才录音/);
    speech.record = 'allow';
    speech.retcode = -30004;
    await speak(page);
    t.is(started.length, 1);
    t.is(text(page, '.voice-message'), '语音识别暂时不能用，请直接输入文字');
    t.is(voiceLabel(page), 'idle');
    speech.retcode = -30003;
    await speak(page);
    t.is(text(page, '.voice-message'), '说话时间太短，没能识别，请再说一次');
    delete speech.retcode;
    speech.result = '   ';
    await speak(page);
    t.is(text(page, '.voice-message'), '没有听清，请靠近手机再说一次');
    t.is(body(page), '已经写好的内容');
    t.is(savedBody(), '已经写好的内容');
  },
);

test.serial(
  'when the plug-in is missing from the build, then the button says voice input cannot be used',
  async (t) => {
    g.requirePlugin = () => {
      throw new Error('plugin WechatSI is not defined');
    };
    const page = await openPage('pages/write');
    t.is(page.querySelector('.voice')?.dom.textContent?.trim(), '🎤 语音输入');
    await tap(page, '.voice');
    t.is(text(page, '.voice-message'), '语音识别暂时不能用，请直接输入文字');
  },
);
