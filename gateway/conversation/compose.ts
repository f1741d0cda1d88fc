// Turns the messages of a closed draft into the canonical letter draft and its intake sources: texts (without the
// submit word, kind and mailbox words) and voice transcripts make the body, photos/voice/video the attachments
// (stored ones with their URL, the others marked missing with the reason), the last location the location.
import { LETTER_LIMITS, type Attachment, type LetterKind } from '../../shared/letter.js';
import type { IntakeInput, IntakeSource } from '../letters/intake.js';
import { isPiiToken } from '../privacy/pii-ids.js';
import type { AttachmentRef, InboundMessage } from './types.js';
import { parseLetterStart, parseSubmit, type MailboxKeyword } from './parse.js';
import { describeCounts, emptyCounts, type DraftCounts } from './notices.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export interface DraftMessage {
  providerMessageId: string;
  receivedAt: Date;
  role: 'content' | 'submit' | null;
  message: InboundMessage;
  mediaState: 'pending' | 'stored' | 'missing' | null;
  /** AttachmentRef when stored, `{ reason }` when missing. */
  mediaResult: Record<string, unknown> | null;
}

export interface ComposeOptions {
  defaultKind: LetterKind;
  defaultMailbox: { id: string; name: string };
  mailboxes: readonly MailboxKeyword[];
  submitWords: readonly string[];
  attachmentUrl(attachmentId: string): string;
  /** Whether the channel's sender id is the citizen's phone (declared by the channel when it registers). */
  senderIsPhone(channel: string): boolean;
}

const e164 = /^\+[1-9]\d{6,14}$/;

export function composeLetter(
  rows: DraftMessage[],
  o: ComposeOptions,
): { input: IntakeInput; counts: DraftCounts; summary: string } {
  const first = rows[0]!.message;
  const counts = emptyCounts();
  const lines: string[] = [];
  const attachments: Attachment[] = [];
  let kind: LetterKind | undefined;
  let mailbox: { id: string; name: string } | undefined;
  let location: NonNullable<IntakeInput['draft']['location']> | undefined;
  let seenText = false;

  for (const r of rows) {
    const m = r.message;
    if (r.role === 'submit') continue;
    if (m.type === 'text' || m.type === 'link') {
      let text = parseSubmit(m.text ?? '', o.submitWords).content;
      if (!seenText && m.type === 'text') {
        const start = parseLetterStart(text, o.mailboxes);
        kind = start.kind;
        mailbox = start.mailbox && { id: start.mailbox.id, name: start.mailbox.name };
        text = start.rest;
        seenText = true;
      }
      if (text.trim()) {
        lines.push(text.trim());
        counts[m.type]++;
      }
    } else if (m.type === 'location' && m.location && validPoint(m.location.latitude, m.location.longitude)) {
      location = {
        latitude: m.location.latitude,
        longitude: m.location.longitude,
        ...(m.location.label ? { label: m.location.label.slice(0, 200) } : {}),
      };
      counts.location++;
    }
    if (m.transcript?.trim()) lines.push(format(messages, 'conversation.voiceText', { trim: m.transcript.trim() }));
    if (m.media) {
      attachments.push(attachmentOf(r, m.media.kind, o));
      counts[m.media.kind]++;
    }
  }

  const summary = describeCounts(counts) || format(messages, 'conversation.oneMessage');
  let body = lines.join('\n');
  if (attachments.length > LETTER_LIMITS.attachmentsMax) {
    body += format(messages, 'conversation.attachmentsDropped', {
      count: attachments.length - LETTER_LIMITS.attachmentsMax,
    });
    attachments.length = LETTER_LIMITS.attachmentsMax;
  }
  if (!body.trim()) body = format(messages, 'conversation.noText', { summary });
  // An over-long body is left whole: intake keeps the full text as an attachment and cuts the body itself.

  const channel = first.channel;
  const sources: IntakeSource[] = rows.map((r) => ({
    providerMessageId: r.providerMessageId,
    receivedAt: r.receivedAt.toISOString(),
    type: r.message.type,
    payload: r.message.payload ?? null,
  }));
  const receivedAt = new Date(Math.min(...rows.map((r) => r.receivedAt.getTime()))).toISOString();
  const input: IntakeInput = {
    draft: {
      channel,
      receivedAt,
      citizen: {
        channelUserId: first.senderId,
        // A phone sender arrives as its token (privacy/pii-ids.ts); intake turns it back into the phone.
        ...(o.senderIsPhone(channel) && (e164.test(first.senderId) || isPiiToken(first.senderId))
          ? { phone: first.senderId }
          : {}),
        anonymous: false,
      },
      mailbox: mailbox ?? o.defaultMailbox,
      kind: kind ?? o.defaultKind,
      body,
      attachments,
      ...(location ? { location } : {}),
      visibility: 'private',
    },
    sources,
  };
  return { input, counts, summary };
}

function attachmentOf(r: DraftMessage, kind: 'image' | 'voice' | 'video', o: ComposeOptions): Attachment {
  const transcript = r.message.transcript?.trim()
    ? { transcript: r.message.transcript.trim().slice(0, LETTER_LIMITS.bodyMax) }
    : {};
  if (r.mediaState === 'stored' && r.mediaResult) {
    const a = r.mediaResult as unknown as AttachmentRef;
    return {
      kind,
      url: o.attachmentUrl(a.attachmentId),
      contentType: a.contentType,
      bytes: a.bytes,
      sha256: a.sha256,
      ...transcript,
    };
  }
  const reason =
    r.mediaState === 'missing' && typeof r.mediaResult?.reason === 'string'
      ? r.mediaResult.reason
      : 'not fetched from the channel before the letter closed';
  return { kind, missing: true, reason: reason.slice(0, 200), ...transcript };
}

function validPoint(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}
