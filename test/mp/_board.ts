// Letters on the public board for tests: stored through intake and approved the way the console's route records an
// approval (one row in public_letters), with approval times one minute apart so the order is known.
import { sql } from 'kysely';
import type { TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

export async function publish(
  gw: TestGateway,
  n: number,
  o: { visibility?: 'public' | 'private'; withdrawn?: boolean; from?: number } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = (o.from ?? 0) + i;
    const { letterId } = await gw.services.intake.submit(
      sampleIntake({
        visibility: o.visibility ?? 'public',
        title: `公开来信${k}`,
        body: `第${k}封：小区门口的路灯坏了，请修理。`,
      }),
    );
    await sql`
      insert into public_letters (letter_id, title, text, reply, approved_by, approved_at, withdrawn_at)
      values (${letterId}, ${`公开来信${k}`}, ${`第${k}封：小区门口的路灯坏了，请修理。`}, ${k % 2 ? null : `已修好${k}`}, 'staff',
        now() - make_interval(mins => ${1000 - k}), ${o.withdrawn ? sql`now()` : null})`.execute(gw.services.db);
    ids.push(letterId);
  }
  return ids;
}
