import test from 'ava';
import { sql } from 'kysely';
import { eventually, holdJob, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { classifyPending } from '../../gateway/classification/classifier.js';
import { classificationFor } from '../../gateway/classification/service.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
  // What intake stored is what these tests read: the classifier job must not decide it meanwhile.
  await holdJob(gw, 'classify-letters');
});
test.after.always(async () => {
  await gw?.stop();
});

const classified = (id: string) =>
  gw.services.db
    .selectFrom('letters')
    .select(['topic', 'topic_inferred', 'region_code', 'region_inferred', 'classification_evidence'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

test.serial(
  'when letters are stored, then their rows hold topic and region at once, alone or several together',
  async (t) => {
    const one = await gw.services.intake.submit(sampleIntake({ body: '双流区东升街道路灯不亮，晚上很黑。' }));
    const many = await gw.services.intake.submitMany([
      sampleIntake({ body: '公司拖欠农民工工资三个月，社保也没交' }),
      sampleIntake({
        body: '咨询',
        topic: { code: 'housing', name: '城乡住房' },
        region: { code: '510104', name: '锦江区' },
      }),
    ]);
    const rows = await Promise.all([one, ...many].map((r) => classified((r as { letterId: string }).letterId)));
    t.deepEqual(
      rows.map((r) => [r.topic, r.topic_inferred, r.region_code, r.region_inferred]),
      [
        ['city-management', true, '510116001', true],
        ['labour', true, null, null],
        ['housing', false, '510104', false],
      ],
    );
    t.like(rows[0]!.classification_evidence, { topic: { source: 'inferred' }, region: { source: 'inferred' } });
  },
);

test.serial(
  'when the taxonomy cannot be read as a letter is stored, then the letter is stored unclassified and the classifier job decides it later',
  async (t) => {
    const db = gw.services.db;
    const taxonomy = classificationFor(db, gw.services.config).taxonomy;
    // The cached taxonomy would hide the failure: a new version clears the cache, and the table is then out of reach.
    await taxonomy.edit((topics) => topics, null, 'test');
    await sql`alter table topic_taxonomy rename to topic_taxonomy_away`.execute(db);
    let id: string;
    try {
      const r = await gw.services.intake.submit(sampleIntake({ body: '公司拖欠农民工工资三个月' }));
      t.false(r.duplicate);
      id = r.letterId;
    } finally {
      await sql`alter table topic_taxonomy_away rename to topic_taxonomy`.execute(db);
    }
    t.like(await classified(id), { topic: null, classification_evidence: null });
    const regions = () => classificationFor(db, gw.services.config).regions();
    // A run skips rows another transaction holds at that instant (forwarding claims the new letter), so the job's next
    // run decides it: runs are repeated as the job would.
    const after = await eventually(
      async () => {
        await classifyPending({ db, taxonomy, regions });
        const row = await classified(id);
        return row.classification_evidence === null ? undefined : row;
      },
      30_000,
      'the classifier to decide the letter',
    );
    t.like(after, { topic: 'labour', topic_inferred: true });
  },
);
