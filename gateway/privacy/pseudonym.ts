// Replacing a citizen's identity with a pseudonym: a keyed hash of channel and id (so a pseudonymised letter still
// counts towards "how many citizens", but cannot be traced back without the key), and the SQL that pseudonymises
// letters with everything around them — raw sources, messages sent, surveys — while content and statistics stay.
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.js';
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

type Executor = Db | Transaction<Database>;

export const PSEUDONYM_PREFIX = 'pseudonym:';

/** The pseudonym of one citizen id, as the SQL below computes it. */
export function pseudonymOf(salt: string, channel: string, id: string): string {
  return PSEUDONYM_PREFIX + createHash('sha256').update(`${salt}|${channel}|${id}`, 'utf8').digest('hex').slice(0, 24);
}

/** SQL computing the same pseudonym from a channel and an id column; ids already pseudonymised stay as they are. */
export function pseudonymSql(salt: string, channel: RawBuilder<unknown>, id: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when ${id} like ${PSEUDONYM_PREFIX + '%'} then ${id}
    else ${PSEUDONYM_PREFIX} || left(encode(sha256(convert_to(${salt} || '|' || ${channel} || '|' || ${id}, 'UTF8')), 'hex'), 24) end`;
}

export interface PseudonymiseOptions {
  /** Also remove the letter's own text, location and attachments (erasure on request), not only who wrote it. */
  eraseContent?: boolean;
}

/**
 * Pseudonymises the given letters in one statement each: the citizen's phone, name, openid and unionid go, the
 * pseudonym takes their place; raw provider payloads are emptied; messages sent about them lose recipient, variables
 * and rendered text (once finished: a message still going out is left to finish). Returns how many letters changed.
 */
export async function pseudonymiseLetters(
  db: Executor,
  salt: string,
  letterIds: string[],
  o: PseudonymiseOptions = {},
): Promise<number> {
  if (letterIds.length === 0) return 0;
  const p = pseudonymSql(salt, sql.ref('l.channel'), sql.ref('l.citizen_id'));
  // Provider message ids may carry the sender's id (SMS `+86…:seq`, official-account `openid|time|type`).
  // An encrypted phone (`pii1.…`) appears in no id: the sender's own id stands in for it then.
  const phone = sql`coalesce(case when l.body->'citizen'->>'phone' like 'pii1.%' then null else l.body->'citizen'->>'phone' end, l.citizen_id)`;
  const scrub = (v: RawBuilder<unknown>) =>
    sql`replace(replace(replace(${v}, l.citizen_id, ${p}), ${phone}, ${p}), ltrim(${phone}, '+'), ${p})`;
  const content = o.eraseContent
    ? sql`|| jsonb_build_object('body', ${format(messages, 'privacy.contentErased')}::text, 'attachments', '[]'::jsonb)`
    : sql``;
  await sql`
    update source_messages s set payload = '{}'::jsonb, payload_purged_at = coalesce(s.payload_purged_at, now()),
      provider_message_id = ${scrub(sql.ref('s.provider_message_id'))}
    from letters l where l.id = s.letter_id and l.id = any(${letterIds}::uuid[])`.execute(db);
  const sources = sql`coalesce((select jsonb_agg(case when m ? 'providerMessageId'
      then jsonb_set(m, '{providerMessageId}', to_jsonb(${scrub(sql`m->>'providerMessageId'`)})) else m end order by i)
    from jsonb_array_elements(coalesce(l.body->'sourceMessages', '[]'::jsonb)) with ordinality as x(m, i)), '[]'::jsonb)`;
  const r = await sql`
    update letters l set
      citizen_id = ${p},
      body = (jsonb_set(jsonb_set(l.body, '{citizen}', jsonb_build_object('channelUserId', ${p}::text, 'anonymous', coalesce(l.body->'citizen'->'anonymous', 'false'::jsonb))),
                        '{sourceMessages}', ${sources})
              ${o.eraseContent ? sql`- 'location' - 'title'` : sql``}) ${content},
      citizen_phone_hash = null,
      pseudonymised_at = now()
    where l.id = any(${letterIds}::uuid[])`.execute(db);
  const dp = pseudonymSql(salt, sql.ref('d.channel'), sql.ref('d.recipient'));
  await sql`
    update deliveries d set recipient = ${dp}, variables = '{}'::jsonb, rendered = null, plan = null,
      body_purged_at = coalesce(d.body_purged_at, now())
    where d.letter_id = any(${letterIds}::uuid[]) and d.status not in ('queued', 'sending')`.execute(db);
  const sp = pseudonymSql(salt, sql.ref('s.channel'), sql.ref('s.recipient'));
  await sql`update surveys s set recipient = ${sp} where s.letter_id = any(${letterIds}::uuid[])`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
