// The mailbox directory behind the picker: city leaders' mailboxes, districts/counties and their townships/streets.
// Loaded into PostgreSQL from a JSON file (the shipped sample unless MP_MAILBOXES_FILE says otherwise); read as a tree
// or searched by name. Entries carry their GB/T 2260 division code so letters get a region.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../store/db.js';
import type { MailboxesTable } from './tables.js';
import type { MailboxNode } from '../../shared/mp-api.js';
import { deriveOfficeLevel, officeLevels, type OfficeLevel } from '../classification/office-levels.js';

interface FileNode {
  id: string;
  name: string;
  level: MailboxNode['level'];
  officeLevel?: OfficeLevel;
  region?: { code: string; name: string };
  children?: FileNode[];
}

const nodeSchema: z.ZodType<FileNode> = z.lazy(() =>
  z
    .object({
      id: z.string().regex(/^[a-z0-9-]{1,64}$/),
      name: z.string().min(1).max(100),
      level: z.enum(['city', 'district', 'street']),
      officeLevel: z.enum(officeLevels).optional(),
      region: z
        .object({ code: z.string().regex(/^\d{6}(\d{3})?$/), name: z.string().min(1).max(100) })
        .strict()
        .optional(),
      children: z.array(nodeSchema).optional(),
    })
    .strict(),
);
export const mailboxFileSchema = z.object({ mailboxes: z.array(nodeSchema).min(1) }).strict();

export interface MailboxEntry {
  id: string;
  name: string;
  level: MailboxNode['level'];
  region: { code: string; name: string } | null;
  /** 市委书记信箱, 市长信箱, 市级部门, 区（市）县 or 乡镇（街道）, for the statistics. */
  officeLevel: OfficeLevel;
  /** Names from the top of the tree down to this mailbox. */
  path: string[];
}

export interface MailboxDirectory {
  /** Replaces the directory with the file's content (ids not in the file are removed). */
  load(json: unknown, source: string): Promise<number>;
  tree(): Promise<MailboxNode[]>;
  search(q: string, limit?: number): Promise<MailboxEntry[]>;
  get(id: string): Promise<MailboxEntry | null>;
}

export const sampleMailboxFile = fileURLToPath(new URL('./mailboxes.sample.json', import.meta.url));

export function readMailboxFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

type Row = Pick<
  Selectable<MailboxesTable>,
  'id' | 'parent_id' | 'name' | 'level' | 'region_code' | 'region_name' | 'office_level'
>;

export function createMailboxDirectory(db: Db, cacheMs = 30_000): MailboxDirectory {
  let cache: { at: number; rows: Map<string, Row>; order: Row[] } | null = null;
  const rows = async () => {
    if (cache && Date.now() - cache.at < cacheMs) return cache;
    const order = await db
      .selectFrom('mailboxes')
      .select(['id', 'parent_id', 'name', 'level', 'region_code', 'region_name', 'office_level'])
      .orderBy('sort')
      .execute();
    cache = { at: Date.now(), rows: new Map(order.map((r) => [r.id, r])), order };
    return cache;
  };
  const entry = (all: Map<string, Row>, r: Row): MailboxEntry => {
    const path: string[] = [];
    let regionRow: Row | null = null;
    for (let at: Row | undefined = r; at; at = at.parent_id ? all.get(at.parent_id) : undefined) {
      path.unshift(at.name);
      if (!regionRow && at.region_code) regionRow = at;
    }
    return {
      id: r.id,
      name: r.name,
      level: r.level as MailboxNode['level'],
      region: regionRow ? { code: regionRow.region_code!, name: regionRow.region_name ?? regionRow.name } : null,
      officeLevel: (r.office_level as OfficeLevel | null) ?? deriveOfficeLevel(r.level, r.name),
      path,
    };
  };
  return {
    async load(json, source) {
      const file = mailboxFileSchema.parse(json);
      const flat: {
        id: string;
        parent_id: string | null;
        name: string;
        level: string;
        office_level: string;
        region_code: string | null;
        region_name: string | null;
        sort: number;
        source: string;
      }[] = [];
      const walk = (nodes: FileNode[], parent: string | null) => {
        for (const n of nodes) {
          flat.push({
            id: n.id,
            parent_id: parent,
            name: n.name,
            level: n.level,
            office_level: n.officeLevel ?? deriveOfficeLevel(n.level, n.name),
            region_code: n.region?.code ?? null,
            region_name: n.region?.name ?? null,
            sort: flat.length,
            source,
          });
          if (n.children) walk(n.children, n.id);
        }
      };
      walk(file.mailboxes, null);
      await db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext('mp-mailboxes'))`.execute(tx);
        await tx
          .deleteFrom('mailboxes')
          .where(
            'id',
            'not in',
            flat.map((f) => f.id),
          )
          .execute();
        await tx
          .insertInto('mailboxes')
          .values(flat)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              parent_id: eb.ref('excluded.parent_id'),
              name: eb.ref('excluded.name'),
              level: eb.ref('excluded.level'),
              office_level: eb.ref('excluded.office_level'),
              region_code: eb.ref('excluded.region_code'),
              region_name: eb.ref('excluded.region_name'),
              sort: eb.ref('excluded.sort'),
              source: eb.ref('excluded.source'),
              updated_at: new Date(),
            })),
          )
          .execute();
      });
      cache = null;
      return flat.length;
    },
    async tree() {
      const all = await rows();
      const { order } = all;
      const nodes = new Map<string, MailboxNode>(
        order.map((r) => {
          // The region a letter to this mailbox gets (its own or the nearest parent's): the write page's default.
          const region = entry(all.rows, r).region;
          return [
            r.id,
            {
              id: r.id,
              name: r.name,
              level: r.level as MailboxNode['level'],
              officeLevel: (r.office_level as OfficeLevel | null) ?? deriveOfficeLevel(r.level, r.name),
              ...(region ? { region } : {}),
            },
          ];
        }),
      );
      const roots: MailboxNode[] = [];
      for (const r of order) {
        const n = nodes.get(r.id)!;
        const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
        if (parent) (parent.children ??= []).push(n);
        else roots.push(n);
      }
      return roots;
    },
    async search(q, limit = 50) {
      const needle = q.trim().normalize('NFC');
      if (needle === '') return [];
      const all = await rows();
      return all.order
        .filter((r) => r.name.includes(needle))
        .slice(0, limit)
        .map((r) => entry(all.rows, r));
    },
    async get(id) {
      const all = await rows();
      const r = all.rows.get(id);
      return r ? entry(all.rows, r) : null;
    },
  };
}
