// Text of the statistics staff read.
export const messages = {
  'stats.weiZhi': '（未知）',
} as const;
