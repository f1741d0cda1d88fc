// How dates, statuses and timeline entries are worded for citizens.
import { statusLabels, type MpLetterStatus, type TimelineEntry } from '../shared/index';
import { say } from './messages.zh-CN';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026年11月26日 09:05" in China time, whatever the phone's time zone. */
export function chinaTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// A newer gateway may answer with a status this version of the app does not know yet.
export const statusText = (s: MpLetterStatus) => (statusLabels as Partial<Record<string, string>>)[s] ?? s;

export interface TimelineItem {
  key: string;
  title: string;
  time: string;
  text: string;
  /** Photos of a follow-up, shown small under its text. */
  photos?: string[];
  kind?: string;
}

export function timelineItems(entries: TimelineEntry[]): TimelineItem[] {
  return entries.map((e, i) => {
    const time = chinaTime(e.at);
    switch (e.type) {
      case 'received':
        return { key: `${i}`, title: '来信已收到', time, text: '' };
      case 'accepted':
        return { key: `${i}`, title: '已受理', time, text: `受理流水号：${e.serial}` };
      case 'reply':
        return { key: `${i}`, title: '答复', time, text: e.text };
      case 'followup':
        return {
          key: `${i}`,
          kind: 'followup',
          title: say('mp.timeline.followup'),
          time,
          text: e.text,
          photos: e.photos,
        };
      case 'closed':
        return { key: `${i}`, title: '已办结', time, text: '' };
      default:
        // An entry a newer gateway added that this version of the app does not know: shown by its time only.
        return { key: `${i}`, title: say('mp.timeline.other'), time, text: '' };
    }
  });
}
