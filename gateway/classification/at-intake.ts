// Topic and region decided as intake stores a letter, so the letter's row is written with them instead of being
// claimed and written again by the classifier job (one write of `letters`, its indexes and triggers fewer per letter).
// Intake never waits on the database for this beyond the taxonomy's cached read; a letter that cannot be classified
// now is stored unclassified and the classifier job (classifier.ts) decides it later, the same way.
import type { Letter } from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';
import { classify, type Classification } from './classify.js';
import { classificationFor } from './service.js';

export type IntakeClassifier = (letter: Letter) => Promise<Classification | undefined>;

export function classifierForIntake(db: Db, config: { REGION_CITY_CODE: string }, log: Logger): IntakeClassifier {
  const c = classificationFor(db, config);
  return async (letter) => {
    try {
      const [taxonomy, regions] = await Promise.all([c.taxonomy.current(), c.regions()]);
      return classify(letter, taxonomy, regions);
    } catch (err) {
      log.warn({ err, letterId: letter.id }, 'letter left for the classifier job');
      return undefined;
    }
  };
}
