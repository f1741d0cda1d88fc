// The classification tables: the versioned topic taxonomy and the case store's updates of a letter (migration 0830).
import type { Generated } from 'kysely';
import type { Json } from '../store/column-types.js';

export interface TopicTaxonomyVersionsTable {
  version: number;
  created_at: Generated<Date>;
  created_by: string | null;
  note: string | null;
}

export interface TopicTaxonomyTable {
  version: number;
  code: string;
  name: string;
  keywords: string[];
  sort: number;
}

export interface LetterCaseUpdatesTable {
  id: Generated<string>;
  letter_id: string;
  at: Generated<Date>;
  /** Who changed it: `case-store` (API key id appended) or `intake`. */
  source: string;
  changes: Json<Record<string, unknown>>;
}

export interface ClassificationTables {
  topic_taxonomy_versions: TopicTaxonomyVersionsTable;
  topic_taxonomy: TopicTaxonomyTable;
  letter_case_updates: LetterCaseUpdatesTable;
}
