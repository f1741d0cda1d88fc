// Decides one letter's topic and region from what it carries: the citizen's choice (mini-program, web), the case
// store's registration (topic by name, region), the mailbox's region; otherwise inference from the text and the
// location's address, marked inferred. The evidence says which, and why.
import type { Letter } from '../../shared/letter.js';
import type { Taxonomy } from './taxonomy.js';
import type { RegionDirectory } from './regions.js';
import { inferRegion, inferTopic, type RegionMatch } from './infer.js';

export interface Classification {
  topic: string | null;
  topicInferred: boolean | null;
  regionCode: string | null;
  regionInferred: boolean | null;
  evidence: {
    topic: { source: 'letter' | 'inferred'; keywords?: string[]; taxonomyVersion: number } | null;
    region: { source: 'letter' | 'inferred'; matched?: RegionMatch[]; name: string } | null;
  };
}

type Classifiable = Pick<Letter, 'title' | 'body' | 'location' | 'region' | 'topic' | 'category'>;

export function classify(letter: Classifiable, taxonomy: Taxonomy, regions: RegionDirectory): Classification {
  const given =
    (letter.topic && taxonomy.byCode.get(letter.topic.code)) ||
    (letter.category ? taxonomy.byName.get(letter.category) : undefined);
  const text = [letter.title ?? '', letter.body].join('\n');
  const inferredTopic = given ? null : inferTopic(text, taxonomy);
  const topic = given
    ? { code: given.code, evidence: { source: 'letter' as const, taxonomyVersion: taxonomy.version } }
    : inferredTopic
      ? {
          code: inferredTopic.code,
          evidence: {
            source: 'inferred' as const,
            keywords: inferredTopic.keywords,
            taxonomyVersion: taxonomy.version,
          },
        }
      : null;

  // A region the letter names counts when it lies inside the city below the city itself (a city-level mailbox's
  // region says nothing about where the matter is).
  const named = letter.region ? regions.get(letter.region.code) : undefined;
  const address = [letter.location?.address, letter.location?.label].filter(Boolean).join(' ');
  const inferred = named ? null : inferRegion({ text, address }, regions);
  const region = named
    ? {
        code: named.code,
        evidence: {
          source: 'letter' as const,
          name: named.level === 'street' ? `${named.countyName}${named.name}` : named.name,
        },
      }
    : inferred
      ? {
          code: inferred.code,
          evidence: { source: 'inferred' as const, matched: inferred.matched, name: inferred.name },
        }
      : null;

  return {
    topic: topic?.code ?? null,
    topicInferred: topic ? topic.evidence.source === 'inferred' : null,
    regionCode: region?.code ?? null,
    regionInferred: region ? region.evidence.source === 'inferred' : null,
    evidence: { topic: topic?.evidence ?? null, region: region?.evidence ?? null },
  };
}
