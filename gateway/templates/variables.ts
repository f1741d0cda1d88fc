// The documented variables a message template may use, and how they are computed from a letter. Staff templates are
// validated against this list; adding a variable means adding it here (with its description) and nowhere else.
import { kindLabels, type Letter } from '../../shared/letter.js';

export const templateVariables = {
  letterId: 'the gateway letter id (for links into the mini-program)',
  serial: '受理流水号 — the case store serial (e.g. CD20261126000123)',
  extractionCode: '提取码 — 6 digits the citizen uses with the serial to check progress',
  mailbox: 'name of the mailbox the letter was written to',
  kind: 'letter kind in Chinese (投诉/建议/咨询/表扬/其他)',
  title: 'letter title, or the start of its body when it has none',
  receivedAt: 'when the letter was received, Asia/Shanghai, "YYYY-MM-DD HH:mm"',
  receivedDate: 'date the letter was received, "YYYY-MM-DD"',
  replyText: 'full text of the reply from the case store',
  replySummary: 'the reply cut at a sentence boundary to fit a short message',
  status: 'progress of the case in Chinese (已受理/办理中/已答复/已办结)',
  statusNote: 'note sent with a status change',
  surveyLink: 'link or page path where the citizen rates the answer',
  surveyScore: "the citizen's rating in words (满意/基本满意/不满意)",
  serials: "serials of the citizen's letters with an open survey, separated by 、",
  helpText: 'how to write a letter and check progress on this channel',
  partNumber: 'part number of a message split in several parts',
  partCount: 'number of parts of a split message',
  submitWord: 'the word that submits a draft letter at once on the official account and SMS (e.g. 提交)',
  quietPeriod: 'how long after the last message a draft letter is submitted automatically (e.g. 3分钟)',
  draftSummary: 'what a submitted draft letter collected (e.g. 2段文字、1张图片、1个位置)',
  retryMinutes: 'minutes to wait before trying a progress query again',
  publicBaseUrl: "the gateway's public address as set now (PUBLIC_BASE_URL), for links in a template's fixed text",
} as const;

export type TemplateVariable = keyof typeof templateVariables;
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function formatShanghai(d: Date | string): string {
  return shanghai.format(new Date(d)).slice(0, 16);
}

/** Values every letter-related message can use. */
export function letterValues(letter: Letter, serial: string | null): TemplateValues {
  const received = formatShanghai(letter.receivedAt);
  return {
    letterId: letter.id,
    serial: serial ?? '',
    extractionCode: letter.extractionCode,
    mailbox: letter.mailbox.name,
    kind: kindLabels[letter.kind],
    title: letter.title ?? firstChars(letter.body, 20),
    receivedAt: received,
    receivedDate: received.slice(0, 10),
  };
}

function firstChars(s: string, n: number): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= n ? chars.join('') : chars.slice(0, n - 1).join('') + '…';
}
