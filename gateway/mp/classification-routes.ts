// GET /mp/classification — what the write page's pickers offer: the current topic taxonomy (codes and names, the
// version staff last saved) and the city's regions (REGION_CITY_CODE: districts/counties with their townships and
// streets, GB/T 2260). Public like the mailbox directory; answers carry an ETag on the taxonomy version and city, so
// the app revalidates for the price of a 304.
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { classificationFor } from '../classification/service.js';
import type { MpClassification } from '../../shared/mp-api.js';
import type { MpDeps } from './deps.js';
import { say } from './messages.zh-CN.js';

/** No parameters: anything in the query string is a client that does not know this endpoint. */
export const noQuerySchema = z.object({}).strict();

export function classificationRoutes(router: Router, d: Pick<MpDeps, 'db' | 'config'>): void {
  router.get('/mp/classification', async (ctx) => {
    if (!noQuerySchema.safeParse(ctx.query).success)
      throw new AppError('request_invalid', { problems: [{ field: '(query)', message: say('mp.query.unknown') }] });
    const c = classificationFor(d.db, d.config);
    const [taxonomy, regions] = await Promise.all([c.taxonomy.current(), c.regions()]);
    const etag = `"cls-${taxonomy.version}-${regions.cityCode}"`;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = {
      version: `${taxonomy.version}-${regions.cityCode}`,
      topics: taxonomy.topics.map((t) => ({ code: t.code, name: t.name })),
      city: { code: regions.cityCode, name: regions.cityName },
      regions: regions.counties.map((county) => ({
        code: county.code,
        name: county.name,
        streets: regions.streetsOf(county.code).map((s) => ({ code: s.code, name: s.name })),
      })),
    } satisfies MpClassification;
  });
}
