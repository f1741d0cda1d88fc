// The classifier job: claims unclassified letters in batches, decides their topic and region (classify.ts) and records
// them with the evidence. Intake classifies the letters it stores itself (at-intake.ts); this job decides those it
// could not (the taxonomy unreadable at that moment), letters stored another way (registered by the case store), and
// letters stored before classification existed.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { TopicTaxonomyStore } from './taxonomy.js';
import type { RegionDirectory } from './regions.js';
import { classify } from './classify.js';

export interface ClassifierOptions {
  db: Db;
  taxonomy: TopicTaxonomyStore;
  regions: () => Promise<RegionDirectory>;
}

/** Classifies up to `limit` unclassified letters in one transaction; answers how many. */
export async function classifyPending(o: ClassifierOptions, limit = 200): Promise<number> {
  const taxonomy = await o.taxonomy.current();
  const regions = await o.regions();
  return o.db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('letters')
      .select(['id', 'body'])
      .where('classification_evidence', 'is', null)
      .orderBy('received_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    const decided = rows.map((r) => ({ id: r.id, c: classify(r.body, taxonomy, regions) }));
    // Values the case store set meanwhile (a correction) are kept: only empty columns are filled.
    await sql`
      update letters l set
        topic = coalesce(l.topic, v.topic),
        topic_inferred = case when l.topic is null then v.topic_inferred else l.topic_inferred end,
        region_code = coalesce(l.region_code, v.region_code),
        region_inferred = case when l.region_code is null then v.region_inferred else l.region_inferred end,
        classification_evidence = v.evidence
      from unnest(${decided.map((d) => d.id)}::uuid[], ${decided.map((d) => d.c.topic)}::text[], ${decided.map((d) => d.c.topicInferred)}::boolean[],
                  ${decided.map((d) => d.c.regionCode)}::text[], ${decided.map((d) => d.c.regionInferred)}::boolean[],
                  ${decided.map((d) => JSON.stringify(d.c.evidence))}::jsonb[]) as v(id, topic, topic_inferred, region_code, region_inferred, evidence)
      where l.id = v.id`.execute(tx);
    return rows.length;
  });
}
