// Wording helpers shared by the conversation's answers: the quiet period in words and what a draft collected.
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
export function quietPeriodLabel(seconds: number): string {
  if (seconds % 60 === 0) return format(messages, 'conversation.minutes', { minutes: seconds / 60 });
  return seconds > 60
    ? format(messages, 'conversation.minutesRounded', { ceil: Math.ceil(seconds / 60) })
    : format(messages, 'conversation.seconds', { seconds });
}

export interface DraftCounts {
  text: number;
  voice: number;
  image: number;
  video: number;
  location: number;
  link: number;
}

export const emptyCounts = (): DraftCounts => ({ text: 0, voice: 0, image: 0, video: 0, location: 0, link: 0 });

const units: [keyof DraftCounts, string][] = [
  ['text', format(messages, 'conversation.partText')],
  ['voice', format(messages, 'conversation.partVoice')],
  ['image', format(messages, 'conversation.partImage')],
  ['video', format(messages, 'conversation.partVideo')],
  ['location', format(messages, 'conversation.partLocation')],
  ['link', format(messages, 'conversation.partLink')],
];

/** "2段文字、1张图片、1个位置". */
export function describeCounts(c: DraftCounts): string {
  return units
    .filter(([k]) => c[k] > 0)
    .map(([k, unit]) => `${c[k]}${unit}`)
    .join('、');
}
