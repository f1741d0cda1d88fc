// Checks a citizen's topic and region choice (mini-program, web) against the current taxonomy and the city's regions,
// answering them with their names for the canonical letter, or a request problem naming the field.
import type { Db } from '../store/db.js';
import { AppError } from '../errors.js';
import { classificationFor } from './service.js';
import { messages } from './messages.zh-CN.js';

export interface CitizenChoice {
  topic?: { code: string; name: string };
  region?: { code: string; name: string };
}

export async function citizenChoice(
  db: Db,
  config: { REGION_CITY_CODE: string },
  input: { topic?: string | undefined; region?: string | undefined },
): Promise<CitizenChoice> {
  if (input.topic === undefined && input.region === undefined) return {};
  const c = classificationFor(db, config);
  const problems: { field: string; message: string }[] = [];
  const out: CitizenChoice = {};
  if (input.topic !== undefined) {
    const t = (await c.taxonomy.current()).byCode.get(input.topic);
    if (t) out.topic = { code: t.code, name: t.name };
    else problems.push({ field: 'topic', message: messages['classification.topic.invalid'] });
  }
  if (input.region !== undefined) {
    const r = (await c.regions()).get(input.region);
    if (r) out.region = { code: r.code, name: r.level === 'street' ? `${r.countyName}${r.name}` : r.name };
    else problems.push({ field: 'region', message: messages['classification.region.invalid'] });
  }
  if (problems.length > 0) throw new AppError('request_invalid', { problems });
  return out;
}
