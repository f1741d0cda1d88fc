// Pure parsing of what citizens type on the official account and SMS: commands (progress query, help, opt-out),
// the submit word, and a kind or mailbox word at the start of a letter. Phones and input methods produce full-width
// letters, digits and spaces, so everything is compared after NFKC folding.
import { kindLabels, letterKinds, type LetterKind } from '../../shared/letter.js';

export type Command =
  | { type: 'query'; serial: string; code: string }
  /** Starts with the query word but the serial or code cannot be read: answered with how to query. */
  | { type: 'query_malformed' }
  | { type: 'help' }
  | { type: 'optout' }
  /** Lifts the citizen's own opt-out. */
  | { type: 'optin' };

/** NFKC (full-width → half-width, ideographic space → space), whitespace collapsed, trimmed. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

const trailingPunctuation = /[\s.!。！~～]+$/u;
const queryPattern = /^查询[\s:：,]*([A-Z]{1,6}-?\d+?)[\s:：,]*(\d{6})$/u;

/** The command a whole message is, or null when it is letter content. */
export function parseCommand(text: string, sender: { isPhone: boolean }): Command | null {
  const t = normalizeText(text).replace(trailingPunctuation, '').toUpperCase();
  if (t.startsWith('查询')) {
    const m = queryPattern.exec(t);
    if (m) return { type: 'query', serial: m[1]!.replace('-', ''), code: m[2]! };
    // "查询 CD2026…" with a typo is a failed query; "查询一下社保缴费…" is the start of a letter.
    if (/^[A-Z0-9\s:：,-]*$/u.test(t.slice(2))) return { type: 'query_malformed' };
  }
  if (t === '帮助' || t === '?' || t === 'HELP') return { type: 'help' };
  // `T` alone is the carriers' usual unsubscribe reply to a text message (the sender is a phone number); on the
  // official account it is too easily typed.
  if (t === '退订' || t === 'TD' || (t === 'T' && sender.isPhone)) return { type: 'optout' };
  if (t === '订阅' || t === '恢复订阅' || t === '取消退订') return { type: 'optin' };
  return null;
}

/**
 * A message that is a submit word, or ends with one after a space ("路灯坏了 提交"): the text before it is content.
 * "我要提交材料" is not a submit.
 */
export function parseSubmit(text: string, submitWords: readonly string[]): { content: string; submit: boolean } {
  const t = normalizeText(text);
  const bare = t.replace(trailingPunctuation, '');
  for (const raw of submitWords) {
    const w = normalizeText(raw);
    if (w.length === 0) continue;
    if (bare === w) return { content: '', submit: true };
    if (bare.endsWith(' ' + w)) return { content: bare.slice(0, -w.length).trim(), submit: true };
  }
  return { content: text.trim(), submit: false };
}

export interface MailboxKeyword {
  keyword: string;
  id: string;
  name: string;
}

/** `keyword=id:name` entries from configuration. */
export function parseMailboxKeywords(entries: readonly string[]): MailboxKeyword[] {
  return entries.flatMap((e) => {
    const m = /^([^=:]+)=([^=:]+):([^=:]+)$/.exec(e.trim());
    return m ? [{ keyword: normalizeText(m[1]!), id: m[2]!.trim(), name: m[3]!.trim() }] : [];
  });
}

const separator = /^[\s:：,，、.。!！-]*/u;

/**
 * A mailbox word and/or a kind word at the start of a letter ("市长信箱 投诉：…", "咨询一下…"). A word followed by a
 * separator is removed from the text; one running into the sentence ("咨询一下社保") is read but left in place.
 */
export function parseLetterStart(
  text: string,
  mailboxes: readonly MailboxKeyword[],
): { kind?: LetterKind; mailbox?: MailboxKeyword; rest: string } {
  let rest = text.trimStart();
  let kind: LetterKind | undefined;
  let mailbox: MailboxKeyword | undefined;
  const take = (word: string) => {
    const after = rest.slice(word.length);
    const sep = separator.exec(after)?.[0] ?? '';
    if (sep.length > 0 || after.length === 0) rest = after.slice(sep.length);
    return sep.length > 0 || after.length === 0;
  };
  for (let round = 0; round < 2; round++) {
    const mb = mailbox ? undefined : mailboxes.find((m) => rest.startsWith(m.keyword));
    if (mb) {
      mailbox = mb;
      if (take(mb.keyword)) continue;
      break;
    }
    const k = kind ? undefined : letterKinds.find((x) => x !== 'other' && rest.startsWith(kindLabels[x]));
    if (!k) break;
    kind = k;
    if (!take(kindLabels[k])) break;
  }
  return { kind, mailbox, rest: rest.trim() };
}
