// The topic taxonomy for staff: read it (with retired topics and the versions), add a topic, rename it or change its
// keywords, retire it. Only an admin changes it: the taxonomy decides how every letter is counted. Every change writes a
// complete new version under the taxonomy's lock (taxonomy.ts), audited in the same transaction; bad input and
// impossible changes answer problems, never a 500.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { t } from '../i18n/index.js';
import { classificationFor } from '../classification/service.js';
import { topicEntrySchema, type TopicEntry } from '../classification/taxonomy.js';
import { readJson } from '../http/body.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { reasonField } from './reason.js';
import { topicNames } from './topic-names.js';

// The taxonomy's own rule, without its default: a change that leaves keywords out keeps them.
// A keyword listed twice is a slip (the inference counts each once), refused so the editor can say which.
const keywords = z
  .array(z.string().trim().min(1).max(20))
  .max(200)
  .superRefine((words, ctx) => {
    const seen = new Set<string>();
    for (const [i, w] of words.entries()) {
      if (seen.has(w)) ctx.addIssue({ code: 'custom', path: [i], params: { duplicate: w } });
      seen.add(w);
    }
  });
const reason = reasonField.optional();
const addition = z
  .object({
    code: topicEntrySchema.shape.code,
    name: topicEntrySchema.shape.name,
    keywords: keywords.optional(),
    reason,
  })
  .strict();
const change = z
  .object({ name: topicEntrySchema.shape.name.optional(), keywords: keywords.optional(), reason })
  .strict()
  .refine((b) => b.name !== undefined || b.keywords !== undefined, { path: ['name'] });
const retirement = z.object({ reason }).strict();

const invalid = (field: string, key: string) =>
  new AppError('request_invalid', { problems: [{ field, message: t(`console.topics.problem.${key}`) }] });
/** A conflict with the taxonomy as it stands, naming the field so the editor can show it there. */
const taken = (field: 'code' | 'name') => {
  const message = t(`console.topics.problem.${field}Taken`);
  return new AppError('conflict', { detail: message, problems: [{ field, message }] });
};

/** The body against `schema`; each problem names its field with a sentence from the catalogue. */
async function body<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const r = schema.safeParse(await readJson(ctx, 16 * 1024));
  if (r.success) return r.data;
  throw new AppError('request_invalid', {
    problems: r.error.issues.map((i) => {
      const field = String(i.path[0] ?? '(body)');
      const known = ['code', 'name', 'keywords', 'reason'].includes(field) ? field : 'body';
      const duplicate = i.code === 'custom' ? (i.params as { duplicate?: string } | undefined)?.duplicate : undefined;
      return {
        field: i.path.join('.') || '(body)',
        message:
          duplicate !== undefined
            ? t('console.topics.problem.duplicateKeyword', { word: duplicate })
            : t(`console.topics.problem.${known}`),
      };
    }),
  });
}

const codeParam = (ctx: Context): string => {
  const code = (ctx.params as Record<string, string | undefined>).code ?? '';
  if (!/^[a-z0-9-]{1,40}$/.test(code)) throw new AppError('not_found', { detail: t('console.topics.problem.unknown') });
  return code;
};

const sameName = (topics: TopicEntry[], name: string, except?: string) =>
  topics.some((x) => x.name === name && x.code !== except);

export function topicRoutes(s: GatewayServices): Router {
  const router = new Router();
  const admin = requireRole('admin');
  const taxonomy = () => classificationFor(s.db, s.config).taxonomy;

  router.get('/topics', async (ctx) => {
    const current = await taxonomy().current();
    const names = await topicNames(s.db);
    ctx.body = {
      version: current.version,
      topics: current.topics,
      retired: [...names.values()].filter((n) => !n.current).map(({ code, name }) => ({ code, name })),
      versions: (await taxonomy().versions()).slice(0, 20),
    };
  });

  // The city's counties and their streets, to pick a region in the letters list's filter.
  router.get('/regions', async (ctx) => {
    const regions = await classificationFor(s.db, s.config).regions();
    ctx.body = {
      cityCode: regions.cityCode,
      cityName: regions.cityName,
      counties: regions.counties.map((c) => ({
        code: c.code,
        name: c.name,
        streets: regions.streetsOf(c.code).map((x) => ({ code: x.code, name: x.name })),
      })),
    };
  });

  /** Runs one edit under the taxonomy's lock, audited in the transaction that writes the new version. */
  const edit = async (
    ctx: Context,
    action: string,
    code: string,
    why: string | undefined,
    apply: (topics: TopicEntry[]) => TopicEntry[],
  ) => {
    const staff = staffOf(ctx);
    let before: TopicEntry | null = null;
    let after: TopicEntry | null = null;
    const version = await taxonomy().edit(
      (topics) => {
        before = topics.find((x) => x.code === code) ?? null;
        const next = apply(topics);
        after = next.find((x) => x.code === code) ?? null;
        return next;
      },
      staff.username,
      action,
      (tx, v) =>
        audit(tx, staff, {
          action,
          targetType: 'topic',
          targetId: code,
          before,
          after: { ...after, version: v },
          ...(why ? { reason: why } : {}),
        }),
    );
    return { version, topic: after };
  };

  router.post('/topics', admin, async (ctx) => {
    const b = await body(ctx, addition);
    const r = await edit(ctx, 'topic.add', b.code, b.reason, (topics) => {
      if (topics.some((x) => x.code === b.code)) throw taken('code');
      if (sameName(topics, b.name)) throw taken('name');
      if (topics.length >= 100) throw invalid('code', 'tooMany');
      return [...topics, { code: b.code, name: b.name, keywords: b.keywords ?? [] }];
    });
    ctx.status = 201;
    ctx.body = r;
  });

  router.patch('/topics/:code', admin, async (ctx) => {
    const code = codeParam(ctx);
    const b = await body(ctx, change);
    ctx.body = await edit(ctx, 'topic.update', code, b.reason, (topics) => {
      const i = topics.findIndex((x) => x.code === code);
      if (i < 0) throw new AppError('not_found', { detail: t('console.topics.problem.unknown') });
      if (b.name !== undefined && sameName(topics, b.name, code)) throw taken('name');
      topics[i] = {
        ...topics[i]!,
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.keywords ? { keywords: b.keywords } : {}),
      };
      return topics;
    });
  });

  router.delete('/topics/:code', admin, async (ctx) => {
    const code = codeParam(ctx);
    // The reason is optional: a DELETE may come without a body.
    const b = ctx.is('application/json') ? await body(ctx, retirement) : {};
    ctx.body = await edit(ctx, 'topic.retire', code, b.reason, (topics) => {
      if (!topics.some((x) => x.code === code))
        throw new AppError('not_found', { detail: t('console.topics.problem.unknown') });
      if (topics.length === 1) throw new AppError('conflict', { detail: t('console.topics.problem.lastTopic') });
      return topics.filter((x) => x.code !== code);
    });
  });

  return router;
}
