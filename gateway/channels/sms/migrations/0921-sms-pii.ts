// The SMS channel's tables keep no phone in clear: the phone columns hold the citizen's token (0920), dedup keys and
// raw pushes (payload, raw_text) the token in place of the number. Converted in batches like 0920.
import { sql, type Kysely } from 'kysely';
import { inBatches } from '../../../store/migrations/0920-pii-ids.js';

const phone = (col: string) => `${col} ~ '^\\+[1-9][0-9]{6,14}$'`;
/** The number as Aliyun writes it in a push: bare national digits for mainland numbers. */
const nat = (col: string) => `(case when ${col} like '+86%' then substr(${col}, 4) else substr(${col}, 2) end)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `do $do$ begin
      ${inBatches(
        'sms_uplinks',
        `payload = pii_scrub(payload, phone, pii_token(phone)),
         raw_text = replace(raw_text, ${nat('phone')}, pii_token(phone)),
         dedup_key = replace(dedup_key, phone, pii_token(phone)),
         phone = pii_token(phone)`,
        phone('phone'),
      )}
      ${inBatches(
        'sms_reports',
        `payload = pii_scrub(payload, phone, pii_token(phone)),
         dedup_key = replace(dedup_key, phone, pii_token(phone)),
         phone = pii_token(phone)`,
        phone('phone'),
      )}
      ${inBatches('sms_uncertain_sends', 'phone = pii_token(phone)', phone('phone'))}
      ${inBatches('sms_daily_counts', 'phone = pii_token(phone)', phone('phone'))}
    end $do$`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  // Tokens stay: turning them back into phones needs the gateway's key.
}
