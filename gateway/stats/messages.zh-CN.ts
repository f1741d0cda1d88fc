// Text of the statistics staff read.
export const messages = {
  'stats.unknown': '（未知）',
} as const;
