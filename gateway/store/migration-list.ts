// Every migration the store runs: the core's (migrations/index.ts) and each channel's (gathered in
// channels/migrations.ts), merged into one list by name. A database records the names it has run, so a name is a
// migration's identity wherever its file lives; two migrations with one name would leave one of them never run.
import type { Migration } from 'kysely';
import { migrations as coreMigrations } from './migrations/index.js';
import { channelMigrations } from '../channels/migrations.js';

/** One list from several, by name; throws on a name found twice (a programming error, caught at load). */
export function mergeMigrations(
  lists: Readonly<Record<string, Readonly<Record<string, Migration>>>>,
): Record<string, Migration> {
  const merged: Record<string, Migration> = {};
  const owner: Record<string, string> = {};
  for (const [from, list] of Object.entries(lists)) {
    for (const [name, migration] of Object.entries(list)) {
      if (name in merged) throw new Error(`migration ${name} is declared twice: by ${owner[name]} and by ${from}`);
      merged[name] = migration;
      owner[name] = from;
    }
  }
  return merged;
}

export const migrations: Record<string, Migration> = mergeMigrations({
  'store/migrations': coreMigrations,
  ...Object.fromEntries(Object.entries(channelMigrations).map(([folder, list]) => [`channels/${folder}`, list])),
});
