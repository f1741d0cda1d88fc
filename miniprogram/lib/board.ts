// How a letter of the public board is worded in the list and on its own page.
import { chinaTime } from './format';
import { say } from './messages.zh-CN';
import { kindLabels, type LetterKind, type MpPublicLetter } from '../shared/index';

export type BoardRow = MpPublicLetter & { kindText: string; time: string; heading: string; openLabel: string };

export function boardRow(l: MpPublicLetter): BoardRow {
  const heading = l.title ?? ([...l.text].slice(0, 20).join('') || say('mp.board.untitled'));
  return {
    ...l,
    // A kind this version of the app does not know yet is shown as sent.
    kindText: (kindLabels as Partial<Record<string, string>>)[l.kind as LetterKind] ?? l.kind,
    time: chinaTime(l.approvedAt),
    heading,
    openLabel: say('mp.board.open', { title: heading }),
  };
}
