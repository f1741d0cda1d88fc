// A small, readable set of letters with their replies and surveys, at known times, for checking the statistics by
// hand. Nothing is pending or queued, so the running gateway leaves these rows alone.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../gateway/store/db.js';
import type { Letter } from '../../shared/letter.js';

export const MAYOR = '市长信箱';
export const DISTRICT = '区县信箱';

type Reply = { afterHours: number; status: 'sent' | 'delivered' | 'failed' };
export interface SeedLetter {
  name: string;
  channel: Letter['channel'];
  mailbox: string;
  kind: Letter['kind'];
  /** ISO time with the +08:00 offset the statistics' days are counted in. */
  receivedAt: string;
  forwarded: boolean;
  replies: Reply[];
  survey?: 'open' | 'expired' | 1 | 2 | 3;
}

export async function seedLetters(db: Db, letters: SeedLetter[]): Promise<void> {
  for (const s of letters) {
    const id = randomUUID();
    const received = new Date(s.receivedAt);
    const citizen = { channelUserId: `${s.channel}-${s.name}`, anonymous: false };
    const body: Letter = {
      id,
      schemaVersion: 1,
      channel: s.channel,
      receivedAt: s.receivedAt,
      submittedAt: s.receivedAt,
      citizen,
      mailbox: { id: s.mailbox === MAYOR ? 'mayor' : 'district', name: s.mailbox },
      kind: s.kind,
      body: `${s.name}：小区门口的路灯坏了。`,
      attachments: [],
      visibility: 'private',
      extractionCode: '123456',
      sourceMessages: [],
    };
    await db
      .insertInto('letters')
      .values({
        id,
        channel: s.channel,
        citizen_id: citizen.channelUserId,
        status: s.forwarded ? 'accepted' : 'received',
        forward_state: s.forwarded ? 'forwarded' : 'rejected',
        serial: s.forwarded ? `CS-${s.name}-${id.slice(0, 8)}` : null,
        extraction_code: '123456',
        body: JSON.stringify(body),
        received_at: received,
        next_forward_at: received,
        created_at: received,
        status_changed_at: received,
      })
      .execute();
    // A receipt that went out is not a reply and must not count as one.
    const receipt = {
      letter_id: id,
      channel: s.channel,
      recipient: citizen.channelUserId,
      kind: 'receipt',
      template_key: 'receipt',
      variables: '{}',
      status: 'sent' as const,
      sent_at: received,
      created_at: received,
    };
    const replies = s.replies.map((r) => ({
      letter_id: id,
      channel: s.channel,
      recipient: citizen.channelUserId,
      kind: 'reply',
      template_key: 'reply',
      variables: '{}',
      status: r.status,
      sent_at: r.status === 'failed' ? null : new Date(received.getTime() + r.afterHours * 3600_000),
      created_at: received,
    }));
    await db
      .insertInto('deliveries')
      .values([receipt, ...replies].map((d) => ({ id: randomUUID(), ...d })))
      .execute();
    if (s.survey !== undefined) {
      const answer = typeof s.survey === 'number' ? s.survey : null;
      const surveyId = randomUUID();
      // A survey is created open (the table's rule); answered and expired ones are moved on afterwards, as in use.
      await db
        .insertInto('surveys')
        .values({
          id: surveyId,
          letter_id: id,
          channel: s.channel,
          recipient: citizen.channelUserId,
          trigger: 'final_reply',
          expires_at: new Date(Date.now() + 30 * 86_400_000),
        })
        .execute();
      if (s.survey !== 'open') {
        await db
          .updateTable('surveys')
          .set({
            state: answer !== null ? 'answered' : 'expired',
            score: answer,
            answered_at: answer !== null ? new Date() : null,
            answer_channel: answer !== null ? s.channel : null,
            expired_at: answer === null ? new Date() : null,
          })
          .where('id', '=', surveyId)
          .execute();
      }
    }
  }
}
