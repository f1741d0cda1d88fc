// The monthly analysis report (一月分析汇报), stored once per month: the HTML page, the Excel workbook and the figures
// they were made from. The month is the key, so two instances generating the same month keep one report.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table monthly_reports (
      month text primary key check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      html text not null,
      xlsx bytea not null,
      figures jsonb not null,
      generated_at timestamptz not null default now(),
      generated_by text not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists monthly_reports`.execute(db);
}
