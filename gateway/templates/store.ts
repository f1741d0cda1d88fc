// Message templates, versioned: every save is a new version, the newest version of (channel, key, route) is the one
// in use, and deliveries record the version they were rendered from. Reads are cached briefly per instance.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, TemplatesTable } from '../store/tables.js';
import type { Db } from '../store/db.js';
import type { TemplateEntry, TemplatesFile } from './file-format.js';

export interface ActiveTemplate {
  channel: string;
  key: string;
  route: string;
  version: number;
  enabled: boolean;
  content: Record<string, unknown>;
}

export interface TemplateVersion extends ActiveTemplate {
  source: string;
  createdAt: Date;
  createdBy: string | null;
}

export interface TemplateStore {
  /** The version in use, or null when none exists. */
  current(channel: string, key: string, route: string): Promise<ActiveTemplate | null>;
  /** Stores a new version unless the newest one is identical; returns the version in use afterwards. */
  save(entry: TemplateEntry, source: 'default' | 'file' | 'staff', by?: string): Promise<ActiveTemplate>;
  /** Adds the entries that have no version yet (shipped defaults never overwrite staff edits). */
  seed(entries: TemplateEntry[]): Promise<number>;
  exportAll(): Promise<TemplatesFile>;
  /** The newest version of every template. */
  list(): Promise<TemplateVersion[]>;
  /** Every version of one template, newest first. */
  history(channel: string, key: string, route: string): Promise<TemplateVersion[]>;
  invalidate(): void;
}

export function createTemplateStore(db: Db, cacheMs = 5000): TemplateStore {
  // The promise is cached, so the many sends of one batch that miss together share one read.
  const cache = new Map<string, { at: number; value: Promise<ActiveTemplate | null> }>();
  const id = (c: string, k: string, r: string) => `${c}\u0000${k}\u0000${r}`;

  const load = async (channel: string, key: string, route: string) => {
    const row = await db
      .selectFrom('templates')
      .select(['version', 'enabled', 'content'])
      .where('channel', '=', channel)
      .where('template_key', '=', key)
      .where('route', '=', route)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { channel, key, route, version: row.version, enabled: row.enabled, content: row.content } : null;
  };

  const store: TemplateStore = {
    async current(channel, key, route) {
      const k = id(channel, key, route);
      const hit = cache.get(k);
      if (hit && Date.now() - hit.at < cacheMs) return hit.value;
      const value = load(channel, key, route);
      cache.set(k, { at: Date.now(), value });
      // A failed read is not kept: the next send reads again.
      value.catch(() => cache.get(k)?.value === value && cache.delete(k));
      return value;
    },
    async save(entry, source, by) {
      const saved = await db.transaction().execute(async (tx) => {
        // Serialise versions of one template across instances.
        await sql`select pg_advisory_xact_lock(hashtext(${`template:${entry.channel}/${entry.key}/${entry.route}`}))`.execute(
          tx,
        );
        const last = await tx
          .selectFrom('templates')
          .select(['version', 'enabled', 'content'])
          .where('channel', '=', entry.channel)
          .where('template_key', '=', entry.key)
          .where('route', '=', entry.route)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (last && last.enabled === entry.enabled && sameJson(last.content, entry.content)) return last.version;
        const version = (last?.version ?? 0) + 1;
        await tx
          .insertInto('templates')
          .values({
            channel: entry.channel,
            template_key: entry.key,
            route: entry.route,
            version,
            enabled: entry.enabled,
            content: JSON.stringify(entry.content),
            source,
            created_by: by ?? null,
          })
          .execute();
        return version;
      });
      cache.delete(id(entry.channel, entry.key, entry.route));
      return {
        channel: entry.channel,
        key: entry.key,
        route: entry.route,
        version: saved,
        enabled: entry.enabled,
        content: entry.content,
      };
    },
    async seed(entries) {
      // One statement for the whole set: every instance seeds at start-up, and a row at a time was ~140 round trips.
      const rows = entries.map((e) => ({
        channel: e.channel,
        template_key: e.key,
        route: e.route,
        version: 1,
        enabled: e.enabled,
        content: JSON.stringify(e.content),
        source: 'default' as const,
      }));
      const r =
        rows.length === 0
          ? undefined
          : await db
              .insertInto('templates')
              .values(rows)
              .onConflict((oc) => oc.columns(['channel', 'template_key', 'route', 'version']).doNothing())
              .executeTakeFirst();
      cache.clear();
      return Number(r?.numInsertedOrUpdatedRows ?? 0);
    },
    async exportAll() {
      const rows = await db
        .selectFrom('templates')
        .distinctOn(['channel', 'template_key', 'route'])
        .select(['channel', 'template_key', 'route', 'enabled', 'content'])
        .orderBy('channel')
        .orderBy('template_key')
        .orderBy('route')
        .orderBy('version', 'desc')
        .execute();
      return {
        format: 'letter-gateway.templates',
        version: 1,
        templates: rows.map((r) => ({
          channel: r.channel as TemplateEntry['channel'],
          key: r.template_key,
          route: r.route,
          enabled: r.enabled,
          content: r.content,
        })),
      };
    },
    async list() {
      const rows = await db
        .selectFrom('templates')
        .distinctOn(['channel', 'template_key', 'route'])
        .selectAll()
        .orderBy('channel')
        .orderBy('template_key')
        .orderBy('route')
        .orderBy('version', 'desc')
        .execute();
      return rows.map(versionOf);
    },
    async history(channel, key, route) {
      const rows = await db
        .selectFrom('templates')
        .selectAll()
        .where('channel', '=', channel)
        .where('template_key', '=', key)
        .where('route', '=', route)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(versionOf);
    },
    invalidate() {
      cache.clear();
    },
  };
  return store;
}

function versionOf(r: Selectable<TemplatesTable>): TemplateVersion {
  return {
    channel: r.channel,
    key: r.template_key,
    route: r.route,
    version: r.version,
    enabled: r.enabled,
    content: r.content,
    source: r.source,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * Whether the newest version of any route's template for (channel, key) is enabled (optional messages are sent only
 * then). Given the caller's transaction, so that a transaction never waits on the pool for a second connection.
 */
export async function hasEnabledTemplate(
  db: Kysely<Database> | Transaction<Database>,
  channel: string,
  key: string,
): Promise<boolean> {
  const r = await sql<{ enabled: boolean }>`
    select exists (select 1 from (select distinct on (route) enabled from templates
                                  where channel = ${channel} and template_key = ${key} order by route, version desc) t
                   where t.enabled) as enabled`.execute(db);
  return r.rows[0]?.enabled === true;
}
