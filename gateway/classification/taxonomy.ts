// The topic taxonomy, staff-editable and versioned: every edit writes a complete new version, letters keep the code,
// and the current version is the highest. A new database starts from the defaults (default-topics.ts).
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../store/db.js';
import type { Database } from '../store/tables.js';
import { defaultTopics, type TopicEntry } from './default-topics.js';

export type { TopicEntry };

export const topicEntrySchema = z
  .object({
    code: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
    name: z.string().trim().min(1).max(50),
    keywords: z.array(z.string().trim().min(1).max(20)).max(200).default([]),
  })
  .strict();
export const taxonomySchema = z
  .array(topicEntrySchema)
  .min(1)
  .max(100)
  .refine((a) => new Set(a.map((t) => t.code)).size === a.length, 'codes must be unique');

export interface Taxonomy {
  version: number;
  topics: TopicEntry[];
  byCode: Map<string, TopicEntry>;
  byName: Map<string, TopicEntry>;
}

export interface TopicTaxonomyStore {
  current(): Promise<Taxonomy>;
  /** Writes a new version; answers its number. */
  replace(topics: TopicEntry[], by: string | null, note?: string): Promise<number>;
  versions(): Promise<{ version: number; createdAt: Date; createdBy: string | null; note: string | null }[]>;
  /**
   * Reads the current topics and writes `change(topics)` as the next version under the taxonomy's lock, so concurrent
   * edits each apply to the version before them; whatever `change` throws aborts the edit. Answers the new version.
   */
  edit(
    change: (topics: TopicEntry[]) => TopicEntry[],
    by: string | null,
    note?: string,
    /** Runs in the edit's transaction once the version is written (an audit entry, say). */
    written?: (tx: Transaction<Database>, version: number) => Promise<void>,
  ): Promise<number>;
}

export function createTopicTaxonomy(db: Db, cacheMs = 30_000): TopicTaxonomyStore {
  let cache: { at: number; taxonomy: Taxonomy } | null = null;
  const write = async (
    topics: TopicEntry[],
    by: string | null,
    note: string | null,
    onlyIfEmpty: boolean,
  ): Promise<number> =>
    db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext('topic-taxonomy'))`.execute(tx);
      const last = await tx
        .selectFrom('topic_taxonomy_versions')
        .select(sql<number | null>`max(version)`.as('v'))
        .executeTakeFirstOrThrow();
      if (onlyIfEmpty && last.v !== null) return last.v;
      const version = (last.v ?? 0) + 1;
      await tx.insertInto('topic_taxonomy_versions').values({ version, created_by: by, note }).execute();
      await tx
        .insertInto('topic_taxonomy')
        .values(topics.map((t, i) => ({ version, code: t.code, name: t.name, keywords: t.keywords, sort: i })))
        .execute();
      cache = null;
      return version;
    });
  const load = async (): Promise<Taxonomy> => {
    let row = await db
      .selectFrom('topic_taxonomy_versions')
      .select(sql<number | null>`max(version)`.as('v'))
      .executeTakeFirstOrThrow();
    if (row.v === null) {
      await write(defaultTopics, null, 'defaults', true);
      row = await db
        .selectFrom('topic_taxonomy_versions')
        .select(sql<number | null>`max(version)`.as('v'))
        .executeTakeFirstOrThrow();
    }
    const version = row.v!;
    const rows = await db
      .selectFrom('topic_taxonomy')
      .select(['code', 'name', 'keywords'])
      .where('version', '=', version)
      .orderBy('sort')
      .execute();
    const topics = rows.map((r) => ({ code: r.code, name: r.name, keywords: r.keywords }));
    return {
      version,
      topics,
      byCode: new Map(topics.map((t) => [t.code, t])),
      byName: new Map(topics.map((t) => [t.name, t])),
    };
  };
  return {
    async current() {
      if (cache && Date.now() - cache.at < cacheMs) return cache.taxonomy;
      const taxonomy = await load();
      cache = { at: Date.now(), taxonomy };
      return taxonomy;
    },
    replace: (topics, by, note) => write(taxonomySchema.parse(topics), by, note ?? null, false),
    edit: (change, by, note, written) =>
      db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext('topic-taxonomy'))`.execute(tx);
        const last = await tx
          .selectFrom('topic_taxonomy_versions')
          .select(sql<number | null>`max(version)`.as('v'))
          .executeTakeFirstOrThrow();
        const before =
          last.v === null
            ? defaultTopics
            : (
                await tx
                  .selectFrom('topic_taxonomy')
                  .select(['code', 'name', 'keywords'])
                  .where('version', '=', last.v)
                  .orderBy('sort')
                  .execute()
              ).map((r) => ({ code: r.code, name: r.name, keywords: r.keywords }));
        const topics = taxonomySchema.parse(change(before.map((t) => ({ ...t, keywords: [...t.keywords] }))));
        const version = (last.v ?? 0) + 1;
        await tx
          .insertInto('topic_taxonomy_versions')
          .values({ version, created_by: by, note: note ?? null })
          .execute();
        await tx
          .insertInto('topic_taxonomy')
          .values(topics.map((t, i) => ({ version, code: t.code, name: t.name, keywords: t.keywords, sort: i })))
          .execute();
        await written?.(tx, version);
        cache = null;
        return version;
      }),
    async versions() {
      const rows = await db.selectFrom('topic_taxonomy_versions').selectAll().orderBy('version', 'desc').execute();
      return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.created_by, note: r.note }));
    },
  };
}
