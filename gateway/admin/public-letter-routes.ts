// Staff approve letters for the public page: only letters whose citizen chose publication (visibility public), with
// personal data removed (long digit runs such as phone and ID numbers masked; staff may edit the text further) and
// the reply beside them; a withdrawal takes one down. Publishing speaks for the city, so only an admin does either;
// both audited in the same transaction.
import Router from '@koa/router';
import { sql } from 'kysely';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { isUuid } from '../letters/view.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { reasonField } from './reason.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** Phone, ID card and bank numbers (runs of 5 or more digits) masked; the citizen's name and phone are never copied. */
export const scrub = (text: string) =>
  text.replace(/\d[\d\s-]{3,}\d/g, (d) => (d.replace(/\D/g, '').length >= 5 ? '*'.repeat(d.length) : d));

const approval = z.object({
  letterId: z.string().refine(isUuid, 'a letter id'),
  title: z.string().trim().max(100).optional(),
  text: z.string().trim().min(1).max(5000).optional(),
  reply: z.string().trim().max(5000).optional(),
  /** Why staff publish it (the console asks); kept in the audit log. */
  reason: reasonField.optional(),
});

export function publicLetterRoutes(s: GatewayServices): Router {
  const router = new Router();
  const admin = requireRole('admin');
  router.post('/public-letters', admin, async (ctx) => {
    const parsed = approval.safeParse(await readJson(ctx, 64 * 1024));
    if (!parsed.success)
      throw new AppError('request_invalid', {
        problems: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    const b = parsed.data;
    const staff = staffOf(ctx);
    await s.db.transaction().execute(async (trx) => {
      const l = await sql<{ visibility: string | null; title: string | null; text: string; reply: string | null }>`
        select body->>'visibility' visibility, body->>'title' title, body->>'body' text,
          (select string_agg(d.variables->>'replyText', '' order by d.seq) from deliveries d
           where d.letter_id = l.id and d.kind = 'reply' and d.created_at = (select max(created_at) from deliveries x where x.letter_id = l.id and x.kind = 'reply')) reply
        from letters l where id = ${b.letterId} for update`.execute(trx);
      const letter = l.rows[0];
      if (!letter) throw new AppError('letter_not_found');
      if (letter.visibility !== 'public')
        throw new AppError('conflict', { detail: format(messages, 'admin.publicationNotConsented') });
      const row = {
        title: b.title ?? (letter.title ? scrub(letter.title) : null),
        text: b.text ?? scrub(letter.text),
        reply: b.reply ?? (letter.reply ? scrub(letter.reply) : null),
      };
      await sql`
        insert into public_letters (letter_id, title, text, reply, approved_by) values (${b.letterId}, ${row.title}, ${row.text}, ${row.reply}, ${staff.username})
        on conflict (letter_id) do update set title = excluded.title, text = excluded.text, reply = excluded.reply,
          approved_by = excluded.approved_by, approved_at = now(), withdrawn_at = null`.execute(trx);
      await audit(
        trx,
        { id: staff.id, username: staff.username, ip: ctx.ip },
        {
          action: 'public-letter.approve',
          targetType: 'letter',
          targetId: b.letterId,
          after: row,
          ...(b.reason ? { reason: b.reason } : {}),
        },
      );
    });
    ctx.status = 201;
    ctx.body = { letterId: b.letterId, published: true };
  });
  router.delete('/public-letters/:letterId', admin, async (ctx) => {
    const id = ctx.params.letterId!;
    if (!isUuid(id)) throw new AppError('letter_not_found');
    // A reason is optional here (older callers send no body); when given it is kept with the audit entry.
    const reason = ctx.is('application/json')
      ? parseBody(z.object({ reason: reasonField.optional() }).strict(), await readJson(ctx, 8192)).reason
      : undefined;
    const staff = staffOf(ctx);
    const done = await s.db.transaction().execute(async (trx) => {
      const r =
        await sql`update public_letters set withdrawn_at = now() where letter_id = ${id} and withdrawn_at is null returning letter_id`.execute(
          trx,
        );
      if (r.rows.length === 0) return false;
      await audit(
        trx,
        { id: staff.id, username: staff.username, ip: ctx.ip },
        { action: 'public-letter.withdraw', targetType: 'letter', targetId: id, ...(reason ? { reason } : {}) },
      );
      return true;
    });
    if (!done) throw new AppError('not_found');
    ctx.status = 204;
  });
  return router;
}
