// The cluster check: letters of the last few days that are near-duplicates of each other (MinHash over character
// 3-grams) and come from enough different citizens form one alert. One check at a time across instances (an
// advisory lock held by the transaction), so a cluster seen by two instances at once is still one alert; a cluster
// that keeps growing adds its new letters to the alert it already has.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { nearDuplicateGroups } from './minhash.js';
import { linkLetters, raiseAlert, refreshClusterAlert } from './alerts.js';
import { say } from './messages.zh-CN.js';

export interface ClusterSettings {
  windowDays: number;
  similarity: number;
  minCitizens: number;
  wecom: boolean;
}

interface LetterText {
  id: string;
  citizen_id: string;
  text: string;
  received_at: Date;
}

/** A short excerpt safe for a chat group: long digit runs (phone, ID and house numbers) masked. */
export function excerpt(text: string, chars = 40): string {
  const clean = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\d{5,}/g, (d) => '*'.repeat(d.length));
  const cut = Array.from(clean);
  return cut.length > chars ? `${cut.slice(0, chars).join('')}…` : clean;
}

export async function checkClusters(
  db: Db,
  now: Date,
  s: ClusterSettings,
): Promise<{ raised: string[]; grown: string[] }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('warnings:clusters'))`.execute(trx);
    const since = new Date(now.getTime() - s.windowDays * 86_400_000);
    const letters = (
      await sql<LetterText>`
        select id, citizen_id, concat_ws(' ', body->>'title', body->>'body') as text, received_at
        from letters where received_at > ${since} and received_at <= ${now} order by received_at, id`.execute(trx)
    ).rows;
    const raised: string[] = [];
    const grown: string[] = [];
    for (const group of nearDuplicateGroups(
      letters.map((l) => l.text),
      s.similarity,
    )) {
      const members = group.map((i) => letters[i]!);
      const citizens = new Set(members.map((m) => m.citizen_id)).size;
      if (citizens < s.minCitizens) continue;
      const ids = members.map((m) => m.id);
      const known = await sql<{ alert_id: string }>`
        select distinct al.alert_id from warning_alert_letters al join warning_alerts a on a.id = al.alert_id
        where a.kind = 'cluster' and al.letter_id = any(${ids}::uuid[])`.execute(trx);
      const existing = known.rows[0]?.alert_id;
      if (existing) {
        await linkLetters(trx, existing, ids);
        await refreshClusterAlert(trx, existing);
        grown.push(existing);
        continue;
      }
      const first = members[0]!;
      const last = members[members.length - 1]!;
      const id = await raiseAlert(
        trx,
        {
          kind: 'cluster',
          dedupKey: `cluster:${first.id}`,
          title: say('warnings.cluster.title', { excerpt: excerpt(first.text) }),
          detail: { windowDays: s.windowDays, similarity: s.similarity, excerpt: excerpt(first.text, 120) },
          letterCount: members.length,
          citizenCount: citizens,
          firstLetterId: first.id,
          lastLetterId: last.id,
          firstAt: first.received_at,
          lastAt: last.received_at,
          letterIds: ids,
        },
        { wecom: s.wecom },
      );
      if (id) raised.push(id);
    }
    return { raised, grown };
  });
}
