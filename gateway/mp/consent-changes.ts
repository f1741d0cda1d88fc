// A citizen switching a notification off in the mini-program's settings: WeChat pushes subscribe_msg_change_event
// (only `reject` is pushed) and the consents counted for that template are dropped at once, so no message is sent
// into a refusal (43101) and the SMS fallback takes over. A late or repeated push never drops a consent given after
// the switch: the update only touches consents last changed before the push's CreateTime.
// https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

export interface ConsentChange {
  openid: string;
  templateId: string;
  status: string;
  at: Date;
}

/** Applies one change; answers whether counted consents were dropped. */
export async function applyConsentChange(db: Db, c: ConsentChange): Promise<boolean> {
  if (c.status !== 'reject') return false;
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('mp_consent_results')
      .values({ openid: c.openid, template_id: c.templateId, result: 'switched_off', at: c.at })
      .execute();
    const r = await sql`
      update mp_consents set credits = 0, updated_at = now()
      where openid = ${c.openid} and template_id = ${c.templateId} and credits > 0 and updated_at <= ${c.at}`.execute(
      tx,
    );
    return Number(r.numAffectedRows ?? 0) > 0;
  });
}
