// The console API behind the letter views, the KPI tables and the topic taxonomy page: topic, region, department and
// deadline on letters and in the list's filters, the extraction code kept out of every view, the KPIs by grouping,
// the taxonomy's add/rename/keywords/retire (admin only, audited, bad input answered with problems) and publication.
import test from 'ava';
import { sql } from 'kysely';
import { eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { startConsoleGateway, staffWithRole, type StaffClient } from './_staff.js';

let gw: TestGateway;
let admin: StaffClient;
let operator: StaffClient;
let viewer: StaffClient;
let editor: StaffClient;
let late: string;
let onTime: string;

interface Problem {
  code: string;
  problems?: { field: string; message: string }[];
}

const dayMs = 86_400_000;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function letter(over: Parameters<typeof sampleIntake>[0] = {}): Promise<string> {
  const { letterId } = await gw.services.intake.submit(sampleIntake(over));
  return letterId;
}

async function classify(
  id: string,
  v: { topic: string; region: string; department?: string; deadline?: Date; replied?: Date },
): Promise<void> {
  await sql`update letters set topic = ${v.topic}, region_code = ${v.region}, department = ${v.department ?? null},
      deadline_at = ${v.deadline ?? null}, replied_at = ${v.replied ?? null}, topic_inferred = false,
      region_inferred = true, classification_evidence = '{}'::jsonb where id = ${id}`.execute(gw.services.db);
}

test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
  operator = await staffWithRole(gw, admin, 'operator', 'olga');
  viewer = await staffWithRole(gw, admin, 'viewer', 'victor');
  editor = await staffWithRole(gw, admin, 'admin', 'anna');
  late = await letter({ visibility: 'public', title: '玉林路占道经营' });
  onTime = await letter();
  await classify(late, {
    topic: 'city-management',
    region: '510107005',
    department: '武侯区城管局',
    deadline: new Date(Date.now() - dayMs),
  });
  await classify(onTime, {
    topic: 'traffic',
    region: '510104',
    deadline: new Date(Date.now() + 5 * dayMs),
    replied: new Date(),
  });
  // The receipt carries the extraction code once rendered: wait for it, so the views below have it to hide.
  await eventually(
    async () =>
      (
        await gw.services.db
          .selectFrom('deliveries')
          .select('rendered')
          .where('letter_id', '=', late)
          .where('kind', '=', 'receipt')
          .executeTakeFirst()
      )?.rendered ?? undefined,
    30_000,
    'receipt rendered',
  );
});
test.after.always(async () => {
  await gw?.stop();
});

test.serial(
  'when staff read a letter, then its header facts are there and the extraction code appears nowhere until revealed',
  async (t) => {
    const { extraction_code: code } = await gw.services.db
      .selectFrom('letters')
      .select('extraction_code')
      .where('id', '=', late)
      .executeTakeFirstOrThrow();
    const r = await viewer.call('GET', `/letters/${late}`);
    t.is(r.status, 200);
    const text = await r.text();
    t.false(text.includes(code), 'the code is blanked in the letter, the receipt and the source messages');
    const body = JSON.parse(text) as {
      letter: { extractionCode?: string };
      deliveries: { kind: string; variables: Record<string, unknown> }[];
      classification: {
        topic: { code: string; name: string; inferred: boolean };
        region: { code: string; name: string; countyName: string | null; inferred: boolean };
        department: string;
        overdue: boolean;
      };
      publication: unknown;
    };
    t.is(body.letter.extractionCode, '******');
    const stored = await gw.services.db
      .selectFrom('deliveries')
      .select('rendered')
      .where('letter_id', '=', late)
      .where('kind', '=', 'receipt')
      .executeTakeFirstOrThrow();
    t.true(JSON.stringify(stored.rendered).includes(code), 'the receipt as sent holds the code');
    const receipt = body.deliveries.find((d) => d.kind === 'receipt') as { id: string } | undefined;
    t.true(JSON.stringify(receipt).includes('******'));
    const alone = await viewer.call('GET', `/deliveries/${receipt!.id}`);
    t.is(alone.status, 200);
    t.false((await alone.text()).includes(code), 'nor in the delivery on its own');
    t.deepEqual(body.classification.topic, { code: 'city-management', name: '城市管理', inferred: false });
    t.deepEqual(body.classification.region, {
      code: '510107005',
      name: '玉林街道',
      countyName: '武侯区',
      inferred: true,
    });
    t.is(body.classification.department, '武侯区城管局');
    t.true(body.classification.overdue);
    t.is(body.publication, null);
    const onTimeView = (await (await viewer.call('GET', `/letters/${onTime}`)).json()) as {
      classification: { overdue: boolean };
    };
    t.false(onTimeView.classification.overdue);

    const revealed = await operator.call('POST', `/letters/${late}/reveal-code`, { reason: '市民来电查询进度' });
    t.is(((await revealed.json()) as { extractionCode: string }).extractionCode, code);
  },
);

test.serial(
  'when the letters list is filtered by topic or region, then only matching letters come back, named, and bad codes are problems',
  async (t) => {
    const list = async (q: string) => {
      const r = await viewer.call('GET', `/letters?${q}`);
      t.is(r.status, 200, q);
      return (
        (await r.json()) as { letters: { id: string; topicName: string; regionName: string; overdue: boolean }[] }
      ).letters;
    };
    const byTopic = await list('topic=city-management');
    t.deepEqual(
      byTopic.map((l) => l.id),
      [late],
    );
    t.like(byTopic[0], { topicName: '城市管理', regionName: '玉林街道', overdue: true });
    // A county takes in its streets; a street only itself.
    t.deepEqual(
      (await list('region=510107')).map((l) => l.id),
      [late],
    );
    t.deepEqual(
      (await list('region=510107005')).map((l) => l.id),
      [late],
    );
    t.deepEqual(
      (await list('region=510104&topic=traffic')).map((l) => l.id),
      [onTime],
    );
    t.deepEqual(await list('region=510104&topic=city-management'), []);
    for (const q of ['topic=Bad%20Code', 'region=51', 'region=abcdef', "topic=x'--"]) {
      const r = await viewer.call('GET', `/letters?${q}`);
      t.is(r.status, 422, q);
      const p = (await r.json()) as Problem;
      t.is(p.code, 'request_invalid');
      t.regex(p.problems?.[0]?.message ?? '', /[\u4e00-\u9fff]/);
    }
  },
);

test.serial(
  'when the letters list is filtered by department or deadline, then only matching letters come back and the export follows',
  async (t) => {
    const ids = async (q: string) => {
      const r = await viewer.call('GET', `/letters?${q}`);
      t.is(r.status, 200, q);
      return ((await r.json()) as { letters: { id: string }[] }).letters.map((l) => l.id).sort();
    };
    // Any part of the name, letter case and LIKE's wildcards taken literally.
    t.deepEqual(await ids(`department=${encodeURIComponent('城管')}`), [late]);
    t.deepEqual(await ids(`department=${encodeURIComponent('武侯区城管局')}`), [late]);
    t.deepEqual(await ids('department=%25'), []);
    t.deepEqual(await ids('department=_'), []);
    t.deepEqual(await ids('deadline=overdue'), [late]);
    t.deepEqual(await ids('deadline=inTime'), [onTime]);
    t.deepEqual(await ids('deadline=none'), []);
    // A letter the case store gave no deadline (yet): for a moment, the on-time one.
    const { deadline_at: kept } = await gw.services.db
      .selectFrom('letters')
      .select('deadline_at')
      .where('id', '=', onTime)
      .executeTakeFirstOrThrow();
    await sql`update letters set deadline_at = null where id = ${onTime}`.execute(gw.services.db);
    t.deepEqual(await ids('deadline=none'), [onTime]);
    t.deepEqual(await ids('deadline=inTime'), []);
    await sql`update letters set deadline_at = ${kept} where id = ${onTime}`.execute(gw.services.db);
    t.deepEqual(await ids(`deadline=overdue&department=${encodeURIComponent('交通')}`), []);
    const bad = await viewer.call('GET', '/letters?deadline=soon');
    t.is(bad.status, 422);
    t.is(((await bad.json()) as Problem).problems?.[0]?.field, 'deadline');

    const r = await viewer.call(
      'GET',
      `/exports/letters?format=csv&deadline=overdue&reason=${encodeURIComponent('核对超期来信')}`,
    );
    t.is(r.status, 200);
    const rows = (await r.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    t.is(rows.length, 2, 'the header and the one overdue letter');
    t.regex(rows[1]!, /武侯区城管局/);
    const logged = await gw.services.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'letter.export')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    t.like(logged.after, { filter: { deadline: 'overdue' } });
  },
);

test.serial(
  'when letters of one topic are exported, then the file names their topic, region, department and overdue deadline',
  async (t) => {
    const r = await viewer.call(
      'GET',
      `/exports/letters?format=csv&topic=city-management&reason=${encodeURIComponent('核对分类')}`,
    );
    t.is(r.status, 200);
    const [head, ...rows] = (await r.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const cols = head!.split(',');
    t.is(rows.length, 1);
    const row = Object.fromEntries(rows[0]!.split(',').map((v, i): [string, string] => [cols[i] ?? '', v]));
    t.like(row, { 问题分类: '城市管理', 地区: '玉林街道', 承办部门: '武侯区城管局', 是否超期: '已超期' });
    t.regex(row['办理期限（北京时间）'] ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  },
);

test.serial(
  'when the KPIs are asked for by grouping, then each table counts its letters with the previous period beside it',
  async (t) => {
    const from = new Date(Date.now() + 8 * 3600_000 - 6 * dayMs).toISOString().slice(0, 10);
    const r = await viewer.call('GET', `/kpis?from=${from}&to=${today()}&groupBy=topic,region,department`);
    t.is(r.status, 200);
    interface Figures {
      received: number;
      replied: number;
      overdue: number;
      due: number;
    }
    const body = (await r.json()) as {
      totals: { current: Figures; previous: Figures };
      tables: Record<string, { key: string; label: string; current: Figures; previous: Figures }[]>;
    };
    t.is(body.totals.current.received, 2);
    t.is(body.totals.previous.received, 0);
    const topic = Object.fromEntries(body.tables.topic!.map((g) => [g.label, g.current]));
    t.like(topic['城市管理'], { received: 1, replied: 0, due: 1, overdue: 1 });
    t.like(topic['交通管理'], { received: 1, replied: 1, due: 1, overdue: 0 });
    t.deepEqual(body.tables.region!.map((g) => g.label).sort(), ['武侯区', '锦江区'].sort());
    t.true(body.tables.department!.some((g) => g.label === '武侯区城管局' && g.current.received === 1));

    for (const q of [
      'groupBy=topic,nonsense',
      'from=2026-13-01',
      `from=${today()}&to=2020-01-01`,
      'from=2024-01-01&to=2026-01-01',
      'from=yesterday',
    ]) {
      const bad = await viewer.call('GET', `/kpis?${q}`);
      t.is(bad.status, 422, q);
      t.is(((await bad.json()) as Problem).code, 'request_invalid');
    }
  },
);

test.serial(
  'when a letter changes and many KPI requests come at once, then every one of them reads the changed figures',
  async (t) => {
    const from = new Date(Date.now() + 8 * 3600_000 - 6 * dayMs).toISOString().slice(0, 10);
    for (const department of ['锦江区交通局', '锦江区住建局']) {
      await sql`update letters set department = ${department} where id = ${onTime}`.execute(gw.services.db);
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          viewer.call('GET', `/kpis?from=${from}&to=${today()}&groupBy=department,topic`),
        ),
      );
      const labels = await Promise.all(
        answers.map(async (r) =>
          ((await r.json()) as { tables: { department: { label: string }[] } }).tables.department
            .map((g) => g.label)
            .sort(),
        ),
      );
      for (const l of labels) t.deepEqual(l, [department, '武侯区城管局'].sort());
    }
  },
);

test.serial(
  'when an admin edits the taxonomy, then each change is a new version, audited, and refused for an operator, a viewer or bad input',
  async (t) => {
    const before = (await (await viewer.call('GET', '/topics')).json()) as {
      version: number;
      topics: { code: string; name: string }[];
    };
    t.true(before.topics.some((x) => x.code === 'city-management'));

    t.is((await viewer.call('POST', '/topics', { code: 'metro-ads', name: '地铁广告' })).status, 403);
    t.is((await viewer.call('PATCH', '/topics/traffic', { name: '交通' })).status, 403);
    t.is((await viewer.call('DELETE', '/topics/traffic')).status, 403);
    // The taxonomy decides how every letter counts: operators read it but do not change it.
    t.is((await operator.call('POST', '/topics', { code: 'metro-ads', name: '地铁广告' })).status, 403);
    t.is((await operator.call('PATCH', '/topics/traffic', { keywords: ['交通'] })).status, 403);
    t.is((await operator.call('DELETE', '/topics/traffic', { reason: '不再使用' })).status, 403);

    const added = await editor.call('POST', '/topics', {
      code: 'metro-ads',
      name: '地铁广告',
      keywords: ['地铁', '广告'],
      reason: '市民集中反映',
    });
    t.is(added.status, 201);
    const a = (await added.json()) as { version: number; topic: { code: string; name: string } };
    t.true(a.version > before.version);
    t.like(a.topic, { code: 'metro-ads', name: '地铁广告' });

    const problems = async (method: string, path: string, body: unknown, status: number, field?: string) => {
      const r = await editor.call(method, path, body);
      t.is(r.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      const p = (await r.json()) as Problem & { detail?: string };
      if (field) t.is(p.problems?.[0]?.field, field);
      t.regex(p.problems?.[0]?.message ?? p.detail ?? '', /[\u4e00-\u9fff]/);
    };
    await problems('POST', '/topics', { code: 'Metro Ads', name: '地铁' }, 422, 'code');
    await problems('POST', '/topics', { code: 'ok-code', name: '' }, 422, 'name');
    await problems('POST', '/topics', { code: 'ok-code', name: '名称', keywords: 'not a list' }, 422, 'keywords');
    await problems('POST', '/topics', { code: 'ok-code', name: '名称', extra: 1 }, 422);
    await problems('POST', '/topics', ['not', 'an', 'object'], 422);
    await problems('POST', '/topics', { code: 'metro-ads', name: '另一个' }, 409, 'code');
    await problems('POST', '/topics', { code: 'another', name: '地铁广告' }, 409, 'name');
    await problems('PATCH', '/topics/metro-ads', {}, 422, 'name');
    await problems('PATCH', '/topics/no-such-topic', { name: '无' }, 404);
    await problems('PATCH', '/topics/NO%20SUCH', { name: '无' }, 404);
    await problems('PATCH', '/topics/metro-ads', { name: '城市管理' }, 409, 'name');
    await problems('DELETE', '/topics/no-such-topic', undefined, 404);
    const notJson = await editor.call('POST', '/topics', undefined, { 'content-type': 'application/json' });
    t.true(notJson.status >= 400 && notJson.status < 500);

    await problems('PATCH', '/topics/metro-ads', { keywords: ['地铁', '灯箱', '地铁'] }, 422, 'keywords.2');
    const duplicate = await editor.call('PATCH', '/topics/metro-ads', { keywords: ['地铁', ' 地铁 '] });
    t.regex(((await duplicate.json()) as Problem).problems?.[0]?.message ?? '', /“地铁”重复/);
    const rekeyed = await editor.call('PATCH', '/topics/metro-ads', { keywords: ['地铁', '灯箱', '车厢广告'] });
    t.is(rekeyed.status, 200);
    t.deepEqual(((await rekeyed.json()) as { topic: { keywords: string[] } }).topic.keywords, [
      '地铁',
      '灯箱',
      '车厢广告',
    ]);
    const renamed = await editor.call('PATCH', '/topics/city-management', { name: '城市管理和执法' });
    t.is(renamed.status, 200);
    const letterView = (await (await viewer.call('GET', `/letters/${late}`)).json()) as {
      classification: { topic: { name: string } };
    };
    t.is(letterView.classification.topic.name, '城市管理和执法');

    const retired = await editor.call('DELETE', '/topics/metro-ads', { reason: '并入城市管理' });
    t.is(retired.status, 200);
    const after = (await (await viewer.call('GET', '/topics')).json()) as {
      version: number;
      topics: { code: string }[];
      retired: { code: string; name: string }[];
      versions: { version: number; createdBy: string | null; note: string | null }[];
    };
    t.false(after.topics.some((x) => x.code === 'metro-ads'));
    t.deepEqual(after.retired, [{ code: 'metro-ads', name: '地铁广告' }]);
    t.like(after.versions[0], { version: after.version, createdBy: 'anna', note: 'topic.retire' });

    const entries = await gw.services.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'reason', 'staff_username'])
      .where('target_type', '=', 'topic')
      .orderBy('id')
      .execute();
    t.deepEqual(
      entries.map((e) => [e.action, e.target_id, e.reason, e.staff_username]),
      [
        ['topic.add', 'metro-ads', '市民集中反映', 'anna'],
        ['topic.update', 'metro-ads', null, 'anna'],
        ['topic.update', 'city-management', null, 'anna'],
        ['topic.retire', 'metro-ads', '并入城市管理', 'anna'],
      ],
    );
  },
);

test.serial(
  'when twenty topics are added at once, then every one lands in its own version and none is lost',
  async (t) => {
    const start = ((await (await viewer.call('GET', '/topics')).json()) as { version: number }).version;
    const codes = Array.from({ length: 20 }, (_, i) => `parallel-${i}`);
    const answers = await Promise.all(
      codes.map((code, i) => editor.call('POST', '/topics', { code, name: `并发分类${i}` })),
    );
    t.deepEqual(
      answers.map((r) => r.status),
      codes.map(() => 201),
    );
    const versions = await Promise.all(answers.map(async (r) => ((await r.json()) as { version: number }).version));
    t.is(new Set(versions).size, 20);
    t.is(Math.max(...versions), start + 20);
    const now = (await (await viewer.call('GET', '/topics')).json()) as { topics: { code: string }[] };
    t.deepEqual(
      codes.filter((c) => !now.topics.some((x) => x.code === c)),
      [],
    );
    // Twenty more of the same code at once: exactly one wins, the others are told it exists.
    const same = await Promise.all(
      Array.from({ length: 20 }, (_, i) => editor.call('POST', '/topics', { code: 'same-code', name: `同码${i}` })),
    );
    t.deepEqual(same.map((r) => r.status).sort(), [201, ...Array.from({ length: 19 }, () => 409)]);
  },
);

test.serial(
  'when an admin approves and withdraws a letter for the public page, then the reason is audited and an operator or a viewer may not',
  async (t) => {
    t.is((await viewer.call('POST', '/public-letters', { letterId: late, reason: '典型案例' })).status, 403);
    t.is((await operator.call('POST', '/public-letters', { letterId: late, reason: '典型案例' })).status, 403);
    t.is((await editor.call('POST', '/public-letters', { letterId: onTime, reason: '典型案例' })).status, 409);
    t.is((await editor.call('POST', '/public-letters', { letterId: late, reason: '好' })).status, 422);
    const ok = await editor.call('POST', '/public-letters', { letterId: late, reason: '典型案例，已答复' });
    t.is(ok.status, 201);
    const view = async () =>
      (
        (await (await viewer.call('GET', `/letters/${late}`)).json()) as {
          publication: { approvedBy: string; withdrawnAt: string | null } | null;
        }
      ).publication;
    t.like(await view(), { approvedBy: 'anna', withdrawnAt: null });
    t.is((await viewer.call('DELETE', `/public-letters/${late}`, { reason: '撤回' })).status, 403);
    t.is((await operator.call('DELETE', `/public-letters/${late}`, { reason: '撤回' })).status, 403);
    t.is((await editor.call('DELETE', `/public-letters/${late}`, { reason: '来信人要求撤下' })).status, 204);
    t.truthy((await view())?.withdrawnAt);
    const reasons = await gw.services.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('target_id', '=', late)
      .where('action', 'like', 'public-letter.%')
      .orderBy('id')
      .execute();
    t.deepEqual(
      reasons.map((r) => [r.action, r.reason]),
      [
        ['public-letter.approve', '典型案例，已答复'],
        ['public-letter.withdraw', '来信人要求撤下'],
      ],
    );
  },
);
