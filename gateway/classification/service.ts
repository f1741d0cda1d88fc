// The classification parts one gateway shares (taxonomy store, the city's regions), kept per database so routes and
// jobs find the same instance without widening the services object.
import type { Db } from '../store/db.js';
import { createTopicTaxonomy, type TopicTaxonomyStore } from './taxonomy.js';
import { loadRegions, type RegionDirectory } from './regions.js';

export interface ClassificationService {
  taxonomy: TopicTaxonomyStore;
  /** Loaded on first use, once per process. */
  regions(): Promise<RegionDirectory>;
}

const byDb = new WeakMap<Db, ClassificationService>();

export function classificationFor(db: Db, config: { REGION_CITY_CODE: string }): ClassificationService {
  let s = byDb.get(db);
  if (!s) {
    s = { taxonomy: createTopicTaxonomy(db), regions: () => loadRegions(config.REGION_CITY_CODE) };
    byDb.set(db, s);
  }
  return s;
}
