// What only the case store knows, reported with a letter's status: handling department, deadline, whether the matter
// was resolved, and corrections of topic and region. Only values that differ are written; each report that changes
// something is kept (old and new values) in letter_case_updates, and the KPI figures follow through their triggers.
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { AppError } from '../errors.js';
import type { ClassificationService } from './service.js';
import { messages } from './messages.zh-CN.js';

export const caseFactsFields = {
  department: z.string().trim().min(1).max(100).optional().describe('the department handling the case (承办单位)'),
  deadline: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('when the reply is due (办理时限); the overdue rate counts letters not replied by it'),
  resolved: z.boolean().optional().describe('whether the matter was resolved (诉求解决), for the resolution rate'),
  topic: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional()
    .describe("corrected topic: a code of the gateway's topic taxonomy"),
  region: z
    .string()
    .regex(/^\d{6}(\d{3})?$/)
    .optional()
    .describe('corrected region: GB/T 2260 code of a district/county or street of the city'),
};

export interface CaseFacts {
  department?: string | undefined;
  deadline?: string | undefined;
  resolved?: boolean | undefined;
  topic?: string | undefined;
  region?: string | undefined;
}

export const hasCaseFacts = (f: CaseFacts) => Object.values(f).some((v) => v !== undefined);

/**
 * Refuses a topic or region the gateway does not know. Called before the report's transaction opens: the taxonomy may
 * be read through the pool, and a transaction waiting on the pool for a second connection can wait forever once every
 * connection is held by such a transaction.
 */
export async function checkCaseFacts(c: ClassificationService, f: CaseFacts): Promise<void> {
  const problems: { field: string; message: string }[] = [];
  if (f.topic !== undefined && !(await c.taxonomy.current()).byCode.has(f.topic))
    problems.push({ field: 'topic', message: messages['classification.topic.invalid'] });
  if (f.region !== undefined && !(await c.regions()).get(f.region))
    problems.push({ field: 'region', message: messages['classification.region.invalid'] });
  if (problems.length > 0) throw new AppError('request_invalid', { problems });
}

/** Answers the fields that changed (empty when the report repeats what is known); checked first by checkCaseFacts. */
export async function applyCaseFacts(
  tx: Transaction<Database>,
  letterId: string,
  f: CaseFacts,
  source: string,
): Promise<(keyof CaseFacts)[]> {
  const row = await tx
    .selectFrom('letters')
    .select(['status', 'department', 'deadline_at', 'resolved', 'topic', 'region_code'])
    .where('id', '=', letterId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('letter_not_found');
  if (row.status === 'rejected') throw new AppError('conflict', { detail: 'the case store rejected this letter' });
  const changes: Partial<Record<keyof CaseFacts, { from: unknown; to: unknown }>> = {};
  const set: Record<string, unknown> = {};
  if (f.department !== undefined && f.department !== row.department) {
    changes.department = { from: row.department, to: f.department };
    set.department = f.department;
  }
  if (
    f.deadline !== undefined &&
    (row.deadline_at === null || new Date(f.deadline).getTime() !== row.deadline_at.getTime())
  ) {
    changes.deadline = { from: row.deadline_at?.toISOString() ?? null, to: new Date(f.deadline).toISOString() };
    set.deadline_at = new Date(f.deadline);
  }
  if (f.resolved !== undefined && f.resolved !== row.resolved) {
    changes.resolved = { from: row.resolved, to: f.resolved };
    set.resolved = f.resolved;
  }
  if (f.topic !== undefined && f.topic !== row.topic) {
    changes.topic = { from: row.topic, to: f.topic };
    Object.assign(set, { topic: f.topic, topic_inferred: false });
  }
  if (f.region !== undefined && f.region !== row.region_code) {
    changes.region = { from: row.region_code, to: f.region };
    Object.assign(set, { region_code: f.region, region_inferred: false });
  }
  const fields = Object.keys(changes) as (keyof CaseFacts)[];
  if (fields.length === 0) return [];
  await tx.updateTable('letters').set(set).where('id', '=', letterId).execute();
  await tx
    .insertInto('letter_case_updates')
    .values({ letter_id: letterId, source, changes: JSON.stringify(changes) })
    .execute();
  return fields;
}
