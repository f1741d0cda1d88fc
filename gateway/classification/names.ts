// The names letters show for a stored topic code and region code: the case store's letter view and the citizen's own
// letter page read them from here.
import type { Db } from '../store/db.js';
import { loadRegions } from './regions.js';

/** The topic's name in the newest taxonomy version that has the code (a topic staff retired keeps its last name). */
export async function topicName(db: Db, code: string): Promise<string | null> {
  const r = await db
    .selectFrom('topic_taxonomy')
    .select('name')
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.name ?? null;
}

/** A division's name as letters show it (a street with its county); the city is the code's first four digits. */
export async function regionName(
  code: string,
  chosen: { code: string; name: string } | undefined,
): Promise<string | null> {
  if (chosen?.code === code) return chosen.name;
  try {
    const r = (await loadRegions(code.slice(0, 4))).get(code);
    return r ? (r.level === 'street' ? `${r.countyName}${r.name}` : r.name) : null;
  } catch {
    // A code of a city the dataset does not have: the code alone still says where.
    return null;
  }
}
