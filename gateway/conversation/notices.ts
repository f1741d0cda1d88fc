// Wording helpers shared by the conversation's answers: the quiet period in words and what a draft collected.
export function quietPeriodLabel(seconds: number): string {
  if (seconds % 60 === 0) return `${seconds / 60}分钟`;
  return seconds > 60 ? `${Math.ceil(seconds / 60)}分钟` : `${seconds}秒`;
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
  ['text', '段文字'],
  ['voice', '段语音'],
  ['image', '张图片'],
  ['video', '段视频'],
  ['location', '个位置'],
  ['link', '个链接'],
];

/** "2段文字、1张图片、1个位置". */
export function describeCounts(c: DraftCounts): string {
  return units
    .filter(([k]) => c[k] > 0)
    .map(([k, unit]) => `${c[k]}${unit}`)
    .join('、');
}
