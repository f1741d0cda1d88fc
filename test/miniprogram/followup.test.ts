import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appTest, letterInApp, openPage, tap, text, type, type RenderedPage } from './_simulate.js';
import { eventually, serialOf } from '../_support/gateway.js';

const photoDir = mkdtempSync(join(tmpdir(), 'mp-followup-'));

const app = appTest(test, () => 'fu');

async function letterWritten(): Promise<string> {
  return letterInApp(app, {
    kind: 'complaint',
    mailbox: { id: 'city-mayor', name: '市长信箱' },
    title: '路灯不亮',
    body: '玉林路小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
    visibility: 'private',
  });
}

const forwarded = (letterId: string) =>
  app.gw.services.db
    .selectFrom('case_events')
    .select('payload')
    .where('letter_id', '=', letterId)
    .where('type', '=', 'letter.followup')
    .execute();

test.serial(
  'when the citizen adds text and a photo to an open letter, then it is sent once even after a lost answer',
  async (t) => {
    const id = await letterWritten();
    const photo = join(photoDir, 'more.jpg');
    writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]));
    app.script.chosenPhotos = [photo];
    const page = await openPage('pages/letter-detail', { id });
    await tap(page, '.add');
    await type(page, '.add-text', '好');
    await tap(page, '.send-add');
    t.is(text(page, '.error-add-text'), '请把补充的内容写清楚，至少5个字');
    await type(page, '.add-text', '补充：3号楼门口那盏灯，晚上八点以后就不亮。');
    await tap(page, '.add-photo');
    await eventually(async () =>
      (page.instance.data.addPhotos as { uploadId?: string }[])[0]?.uploadId ? true : undefined,
    );
    app.script.loseNextAnswer.add(`/mp/letters/${id}/followups`);
    await tap(page, '.send-add');
    t.regex(text(page, '.add-message'), /超时.*可以再次发送/);
    await tap(page, '.send-add');
    t.regex(text(page, '.add-message'), /已转交承办部门/);
    t.falsy(page.querySelector('.add-form'));
    const events = await forwarded(id);
    t.is(events.length, 1);
    const data = (events[0]!.payload as unknown as { data: { text: string; attachments: unknown[] } }).data;
    t.is(data.text, '补充：3号楼门口那盏灯，晚上八点以后就不亮。');
    t.is(data.attachments.length, 1);
  },
);

test.serial(
  'when the letter is closed, then no follow-up is offered; when it closes meanwhile, then sending says why',
  async (t) => {
    const id = await letterWritten();
    const page = await openPage('pages/letter-detail', { id });
    await tap(page, '.add');
    await type(page, '.add-text', '办结前还想补充一点情况。');
    await app.gw.services.db.updateTable('letters').set({ status: 'closed' }).where('id', '=', id).execute();
    await tap(page, '.send-add');
    t.is(text(page, '.add-message'), '这封信已经办结，不能再补充；如有新的问题，请重新写信');
    t.falsy(page.querySelector('.add-form'));
    const again = await openPage('pages/letter-detail', { id });
    t.falsy(again.querySelector('.add'));
    t.is((await forwarded(id)).length, 0);
  },
);

/** Follow-up entries inside the page's timeline component (its shadow tree is read from the DOM). */
const followupEntries = (page: RenderedPage) => Array.from(page.dom.querySelectorAll('.timeline--entry-followup'));

test.serial(
  'when the citizen has added to a letter, then the progress page shows each follow-up in the timeline, in order, with its photo',
  async (t) => {
    const id = await letterWritten();
    const photo = join(photoDir, 'timeline.jpg');
    writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]));
    app.script.chosenPhotos = [photo];
    const page = await openPage('pages/letter-detail', { id });
    await tap(page, '.add');
    await type(page, '.add-text', '第一次补充：灯杆上有个标牌写着编号WH-0231。');
    await tap(page, '.add-photo');
    await eventually(async () =>
      (page.instance.data.addPhotos as { uploadId?: string }[])[0]?.uploadId ? true : undefined,
    );
    await tap(page, '.send-add');
    // Shown at once after sending, without leaving the page.
    const shown = followupEntries(page);
    t.is(shown.length, 1);
    t.regex(shown[0]!.textContent ?? '', /您的补充.*WH-0231/s);
    t.is(Array.from(shown[0]!.querySelectorAll('.timeline--photo')).length, 1);

    await tap(page, '.add');
    await type(page, '.add-text', '第二次补充：今晚又看了一次，还是不亮。');
    await tap(page, '.send-add');
    const again = await openPage('pages/letter-detail', { id });
    const followups = followupEntries(again).map((e) => e.textContent ?? '');
    t.is(followups.length, 2);
    t.regex(followups[0]!, /第一次补充/);
    t.regex(followups[1]!, /第二次补充/);
    // Someone else with the serial and code sees the progress, not the citizen's additions.
    const serial = await serialOf(app.gw.services.db, id);
    const code = (
      await app.gw.services.db
        .selectFrom('letters')
        .select('extraction_code')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).extraction_code;
    const other = await app.gw.api('/mp/session', { method: 'POST', json: { code: 'dev:someone-else' } });
    const { token } = (await other.json()) as { token: string };
    const q = await fetch(`${app.gw.url}/mp/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serial, code }),
    });
    const answer = (await q.json()) as { timeline: { type: string }[] };
    t.false(answer.timeline.some((e) => e.type === 'followup'));
  },
);
