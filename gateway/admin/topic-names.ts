// Names of topic codes for staff views, retired topics included: a letter keeps its code when staff retire or rename
// a topic, so the name shown is the one its latest version gave it.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

export interface TopicName {
  code: string;
  name: string;
  /** In the current version of the taxonomy (a letter or a filter may still name a retired one). */
  current: boolean;
}

export async function topicNames(db: Db): Promise<Map<string, TopicName>> {
  const r = await sql<{ code: string; name: string; current: boolean }>`
    select distinct on (t.code) t.code, t.name,
      t.version = (select max(version) from topic_taxonomy_versions) as current
    from topic_taxonomy t order by t.code, t.version desc`.execute(db);
  return new Map(r.rows.map((x) => [x.code, x]));
}
