// Text helpers shared by channels and templates: cutting long texts for short channels at a sentence end when one falls
// in the second half of the limit, else at a character boundary (code points, never half a surrogate pair).
const sentenceEnd = /[。！？；!?;.\n]/u;

export function summarize(text: string, maxChars: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length <= maxChars) return chars.join('');
  const window = chars.slice(0, maxChars - 1);
  for (let i = window.length - 1; i >= Math.floor(maxChars / 2); i--) {
    if (sentenceEnd.test(window[i]!)) return window.slice(0, i + 1).join('');
  }
  return window.join('') + '…';
}

/** Splits a text into parts of at most `maxChars` code points, preferring sentence ends. */
export function splitText(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = [...text.trim()];
  while (rest.length > maxChars) {
    let cut = maxChars;
    for (let i = maxChars - 1; i >= Math.floor(maxChars / 2); i--) {
      if (sentenceEnd.test(rest[i]!)) {
        cut = i + 1;
        break;
      }
    }
    parts.push(rest.slice(0, cut).join('').trim());
    rest = rest.slice(cut);
  }
  if (rest.length > 0) parts.push(rest.join('').trim());
  return parts.filter((p) => p.length > 0);
}
