// Citizen ids that are phone numbers leave every table: `pii_ids` maps an opaque token (`pid_…`) to the phone, and
// the columns that held the phone (letters' citizen and source message ids, senders, recipients, preferences, provider message ids and raw
// payloads) hold the token. SQL cannot encrypt with the gateway's key, so existing phones move into `pii_ids` as they
// are (id_hash null) and the gateway seals them at start and on `npm run pii:rotate` (privacy/pii-seal.ts); nothing
// else keeps them. Rows are converted in batches of 1,000 so no statement holds a large table's rows at once.
// `pii_token` and `pii_scrub` stay defined: the channels' own conversions (0921) use them too.
import { sql, type Kysely } from 'kysely';

/** Rewrites `table` in batches: `set` on every row matching `where`, until none is left. */
export function inBatches(table: string, set: string, where: string): string {
  return `
    loop
      update ${table} set ${set} where ctid = any(array(select ctid from ${table} where ${where} limit 1000));
      exit when not found;
    end loop;`;
}

const phone = (col: string) => `${col} ~ '^\\+[1-9][0-9]{6,14}$'`;
/** A provider message id of the form `<phone>:<provider id>` (SMS: phone and sequence id). */
const phoneMessageId = (col: string) => `${col} ~ '^\\+[1-9][0-9]{6,14}:'`;
const tokenMessageId = (col: string) =>
  `pii_token(split_part(${col}, ':', 1)) || substr(${col}, length(split_part(${col}, ':', 1)) + 1)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pii_ids (
      token text primary key,
      -- Keyed hash of the phone (current key; rewritten by rotation); null while an old clear value awaits sealing.
      id_hash text,
      -- The phone, AES-256-GCM (pii1.…); clear only between this migration and the gateway's next start.
      id_enc text not null,
      created_at timestamptz not null default now()
    );
    create unique index pii_ids_hash on pii_ids (id_hash) where id_hash is not null;
    create unique index pii_ids_unsealed on pii_ids (id_enc) where id_hash is null;

    -- The token of a phone found in clear by a migration (one per phone); anything else comes back unchanged.
    create or replace function pii_token(v text) returns text language plpgsql as $fn$
    declare t text;
    begin
      if v is null or v !~ '^\\+[1-9][0-9]{6,14}$' then return v; end if;
      insert into pii_ids (token, id_enc) values ('pid_' || replace(gen_random_uuid()::text, '-', ''), v)
        on conflict (id_enc) where id_hash is null do update set id_enc = excluded.id_enc
        returning token into t;
      return t;
    end $fn$;

    -- A JSON value with every string or number that is this phone (E.164, bare national, 86…, 0086…) replaced by token.
    create or replace function pii_scrub(j jsonb, phone text, token text) returns jsonb language plpgsql immutable as $fn$
    declare nat text := case when phone like '+86%' then substr(phone, 4) else substr(phone, 2) end;
    begin
      if j is null or phone is null or token is null then return j; end if;
      case jsonb_typeof(j)
        when 'object' then
          return coalesce((select jsonb_object_agg(k, pii_scrub(v, phone, token)) from jsonb_each(j) as e(k, v)), j);
        when 'array' then
          return coalesce((select jsonb_agg(pii_scrub(v, phone, token) order by o)
                           from jsonb_array_elements(j) with ordinality as e(v, o)), j);
        when 'string', 'number' then
          if j #>> '{}' in (phone, nat, '86' || nat, '0086' || nat) then return to_jsonb(token); end if;
          return j;
        else return j;
      end case;
    end $fn$;

    create index mp_phones_phone on mp_phones (phone);
  `.execute(db);

  await sql
    .raw(
      `do $do$ begin
      ${inBatches('letters', 'citizen_id = pii_token(citizen_id)', phone('citizen_id'))}
      ${inBatches(
        'letters',
        `body = jsonb_set(body, '{sourceMessages}', (
           select jsonb_agg(case when ${phoneMessageId(`m->>'providerMessageId'`)}
                                 then jsonb_set(m, '{providerMessageId}', to_jsonb(${tokenMessageId(`(m->>'providerMessageId')`)}))
                                 else m end order by o)
           from jsonb_array_elements(body->'sourceMessages') with ordinality as x(m, o)))`,
        `jsonb_typeof(body->'sourceMessages') = 'array' and body::text ~ '"providerMessageId": "\\+[1-9][0-9]{6,14}:'`,
      )}
      ${inBatches(
        'conversation_messages',
        `message = case when message ? 'payload' then jsonb_set(message, '{payload}',
                      pii_scrub(message->'payload', sender_id, pii_token(sender_id))) else message end,
         provider_message_id = case when ${phoneMessageId('provider_message_id')}
                                    then ${tokenMessageId('provider_message_id')} else provider_message_id end,
         sender_id = pii_token(sender_id)`,
        phone('sender_id'),
      )}
      ${inBatches('conversation_drafts', 'sender_id = pii_token(sender_id)', phone('sender_id'))}
      ${inBatches('conversation_senders', 'sender_id = pii_token(sender_id)', phone('sender_id'))}
      ${inBatches('conversation_command_events', 'sender_id = pii_token(sender_id)', phone('sender_id'))}
      ${inBatches('citizen_preferences', 'citizen_id = pii_token(citizen_id)', phone('citizen_id'))}
      ${inBatches(
        'deliveries',
        `recipient = pii_token(recipient),
         plan = case when jsonb_typeof(plan) = 'array' then (
                  select jsonb_agg(case when s ? 'recipient' then jsonb_set(s, '{recipient}', to_jsonb(pii_token(s->>'recipient'))) else s end order by o)
                  from jsonb_array_elements(plan) with ordinality as p(s, o)) else plan end`,
        `${phone('recipient')} or (jsonb_typeof(plan) = 'array' and exists (
           select 1 from jsonb_array_elements(plan) s where ${phone(`s->>'recipient'`)}))`,
      )}
      ${inBatches('surveys', 'recipient = pii_token(recipient)', phone('recipient'))}
      ${inBatches(
        'source_messages',
        `payload = pii_scrub(payload, split_part(provider_message_id, ':', 1), pii_token(split_part(provider_message_id, ':', 1))),
         provider_message_id = ${tokenMessageId('provider_message_id')}`,
        phoneMessageId('provider_message_id'),
      )}
      ${inBatches('mp_phones', 'phone = pii_token(phone)', phone('phone'))}
    end $do$`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Tokens cannot be turned back into phones without the key: the mapping table stays so no citizen is lost.
  await sql`drop index if exists mp_phones_phone`.execute(db);
}
