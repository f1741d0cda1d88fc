// A letter body longer than the canonical limit is never cut short silently: its full text goes to the attachment
// store as a UTF-8 text file (the case store fetches it under the signed URL like any attachment), and the body keeps
// as much as fits, ending with a note saying where the rest is.
import { LETTER_LIMITS, cleanLetterText, type Attachment } from '../../shared/letter.js';
import { cutText } from '../../shared/text.js';
import type { AttachmentRef } from '../conversation/types.js';
import type { IntakeInput } from './intake.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export interface TextAttachmentStore {
  put(file: { data: Buffer; contentType: string }, options?: { maxBytes?: number }): Promise<AttachmentRef>;
  signedUrl(id: string): string;
}

export const longBodyNote = format(messages, 'letters.longBodyNote');
const droppedNote = format(messages, 'letters.attachmentDropped');
export const fullTextContentType = 'text/plain; charset=utf-8';
/** The full text is ours, not a citizen's upload: it is kept whatever the upload limit (PostgreSQL holds up to 1 GB). */
const fullTextMaxBytes = 256 * 1024 * 1024;

/** Returns the draft unchanged when its cleaned body fits, else with the body cut and the full text attached. */
export async function spillLongBody(
  draft: IntakeInput['draft'],
  store: TextAttachmentStore | undefined,
): Promise<IntakeInput['draft']> {
  if (typeof draft.body !== 'string') return draft;
  const full = cleanLetterText(draft.body).trim();
  if (full.length <= LETTER_LIMITS.bodyMax || !store) return draft;
  const data = Buffer.from(full, 'utf8');
  const ref = await store.put({ data, contentType: fullTextContentType }, { maxBytes: fullTextMaxBytes });
  const file: Attachment = {
    kind: 'file',
    url: store.signedUrl(ref.attachmentId),
    contentType: fullTextContentType,
    bytes: ref.bytes,
    sha256: ref.sha256,
  };
  const attachments = [...draft.attachments];
  // The full text matters more than the last photo: when the letter already holds the most attachments, the last one
  // gives way (it stays with the letter's source messages) and the body says so.
  const dropped = attachments.length >= LETTER_LIMITS.attachmentsMax;
  if (dropped) attachments.length = LETTER_LIMITS.attachmentsMax - 1;
  attachments.push(file);
  const note = (dropped ? droppedNote : '') + longBodyNote;
  const body = cutText(full, LETTER_LIMITS.bodyMax - note.length).trimEnd() + note;
  return { ...draft, body, attachments };
}
