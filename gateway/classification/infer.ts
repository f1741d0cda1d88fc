// Infers a free-text letter's topic and region (official account, SMS): topic keywords from the taxonomy, district and
// street names with their short forms from the region directory, read in the location's address first and the text
// second. Plain substring matching: Chinese place names and topic keywords need no word segmentation to be found, and
// it stays well under a millisecond per letter. The result carries the words that decided it, for staff to check.
import type { Taxonomy } from './taxonomy.js';
import type { Region, RegionDirectory } from './regions.js';

export interface TopicInference {
  code: string;
  keywords: string[];
  taxonomyVersion: number;
}

export interface RegionMatch {
  alias: string;
  code: string;
  in: 'address' | 'text';
}

export interface RegionInference {
  code: string;
  name: string;
  matched: RegionMatch[];
}

export function inferTopic(text: string, taxonomy: Taxonomy): TopicInference | null {
  let best: { code: string; keywords: string[]; score: number } | null = null;
  for (const t of taxonomy.topics) {
    const found = t.keywords.filter((k) => k.length > 0 && text.includes(k));
    // Longer keywords are more specific: 食品安全 says more than 质量.
    const score = found.reduce((s, k) => s + k.length, 0);
    if (score > 0 && (!best || score > best.score)) best = { code: t.code, keywords: found, score };
  }
  if (best) return { code: best.code, keywords: best.keywords, taxonomyVersion: taxonomy.version };
  const fallback = taxonomy.byCode.get('other');
  return fallback ? { code: fallback.code, keywords: [], taxonomyVersion: taxonomy.version } : null;
}

interface Hit {
  alias: string;
  region: Region;
  short: boolean;
  in: 'address' | 'text';
  at: number;
}

export function inferRegion(
  input: { text: string; address?: string },
  regions: RegionDirectory,
): RegionInference | null {
  const hits: Hit[] = [];
  const scan = (s: string | undefined, where: 'address' | 'text') => {
    if (!s) return;
    for (const a of regions.aliases()) {
      const at = s.indexOf(a.alias);
      if (at >= 0) hits.push({ alias: a.alias, region: a.region, short: a.short, in: where, at });
    }
  };
  scan(input.address, 'address');
  scan(input.text, 'text');
  // A shorter name inside a longer one found at the same place is the same mention (武侯 inside 武侯区).
  const mentions = hits.filter(
    (h) =>
      !hits.some(
        (o) =>
          o !== h &&
          o.in === h.in &&
          o.alias.length > h.alias.length &&
          o.alias.includes(h.alias) &&
          h.at >= o.at &&
          h.at < o.at + o.alias.length,
      ),
  );
  const counties = new Set(mentions.filter((h) => h.region.level === 'county').map((h) => h.region.code));
  // Two-character street stems (玉林, 天府, 团结) are ordinary words too: they count only inside a named county.
  const streets = mentions.filter(
    (h) => h.region.level === 'street' && (!(h.short && h.alias.length <= 2) || counties.has(h.region.countyCode)),
  );
  const weight = (h: Hit) =>
    (h.in === 'address' ? 100 : 0) +
    (counties.has(h.region.countyCode) ? 50 : 0) +
    h.alias.length * 2 -
    (h.short ? 1 : 0);
  const pick = (list: Hit[]) => [...list].sort((a, b) => weight(b) - weight(a) || a.at - b.at)[0];
  const chosen = streets.length > 0 ? pick(streets) : pick(mentions.filter((h) => h.region.level === 'county'));
  if (!chosen) return null;
  const relevant = mentions.filter(
    (h) => h.region.code === chosen.region.code || h.region.code === chosen.region.countyCode,
  );
  return {
    code: chosen.region.code,
    name: chosen.region.level === 'street' ? `${chosen.region.countyName}${chosen.region.name}` : chosen.region.name,
    matched: relevant.map((h) => ({ alias: h.alias, code: h.region.code, in: h.in })),
  };
}
