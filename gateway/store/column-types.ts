// Column types shared by every table interface.
import type { ColumnType, JSONColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// JSON columns are written as JSON text (JSON.stringify) and read back parsed.
export type Json<T extends object | null = object | null> = JSONColumnType<T>;
