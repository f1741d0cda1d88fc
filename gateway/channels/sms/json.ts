// JSON.parse that keeps long integers exact: a number of 16 or more digits outside any string is read as a string,
// because provider ids (Aliyun `sequence_id`, `biz_id`) may exceed Number.MAX_SAFE_INTEGER and would be silently
// rounded — and two different messages would then share one dedup key.
export function parseJsonKeepingLongIds(text: string): unknown {
  let out = '';
  let inString = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
      const isInteger = !/[.eE]/.test(text[j] ?? '');
      if (isInteger && j - i - (c === '-' ? 1 : 0) >= 16) {
        out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}
