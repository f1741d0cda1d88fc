// Near-duplicate detection for Chinese text without a dictionary: character n-gram shingles, MinHash signatures
// (estimate the Jaccard similarity of two shingle sets) and LSH banding (only letters sharing a band are compared).
import { createHash } from 'node:crypto';

export const SHINGLE_SIZE = 3;
export const SIGNATURE_SIZE = 64;
export const BANDS = 16; // 16 bands of 4 rows: pairs at Jaccard 0.6 meet in a band with probability 1-(1-0.6^4)^16 ≈ 0.89+

/** Letters and digits only, lower case, so punctuation, spaces and full/half-width forms do not separate copies. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function shingles(text: string, n = SHINGLE_SIZE): Set<string> {
  const s = normalise(text);
  const chars = Array.from(s);
  const out = new Set<string>();
  if (chars.length <= n) {
    if (chars.length > 0) out.add(chars.join(''));
    return out;
  }
  for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  return out;
}

// Fixed seeds: signatures must be comparable across runs and instances.
const seeds = Array.from({ length: SIGNATURE_SIZE }, (_, i) => {
  const d = createHash('sha256').update(`minhash-seed-${i}`).digest();
  return [d.readUInt32LE(0) | 1, d.readUInt32LE(4)] as const;
});

function hash32(s: string): number {
  // FNV-1a over UTF-16 code units: fast and stable.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function signature(set: Set<string>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const sh of set) {
    const x = hash32(sh);
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const [a, b] = seeds[i]!;
      const v = (Math.imul(a, x) + b) >>> 0;
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of equal signature positions. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Candidate pairs (indexes into `sigs`) that share at least one LSH band. */
export function candidatePairs(sigs: Uint32Array[]): [number, number][] {
  const rows = SIGNATURE_SIZE / BANDS;
  const seen = new Set<string>();
  const pairs: [number, number][] = [];
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<string, number[]>();
    sigs.forEach((sig, i) => {
      const key = Array.from(sig.subarray(band * rows, band * rows + rows)).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    });
    for (const bucket of buckets.values()) {
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const k = `${bucket[x]}:${bucket[y]}`;
          if (!seen.has(k)) {
            seen.add(k);
            pairs.push([bucket[x]!, bucket[y]!]);
          }
        }
      }
    }
  }
  return pairs;
}

/** Groups of indexes whose texts are near-duplicates (single linkage over LSH candidates at or above `threshold`). */
export function nearDuplicateGroups(texts: string[], threshold: number): number[][] {
  const sigs = texts.map((t) => signature(shingles(t)));
  const parent = texts.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const [a, b] of candidatePairs(sigs)) {
    if (similarity(sigs[a]!, sigs[b]!) >= threshold) parent[find(a)] = find(b);
  }
  const groups = new Map<number, number[]>();
  texts.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()].filter((g) => g.length > 1);
}
