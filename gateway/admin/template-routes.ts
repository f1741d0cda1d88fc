// Templates for staff: list, read with versions, validate and preview while editing, save (refused with field-level
// problems when it would fail at send time), roll back (a new version with old content), export and import.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { channelRoutes, type ChannelRegistry } from '../channels/registry.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { isUuid } from '../lib/uuid.js';
import { parseTemplatesFile, type TemplatesFile } from '../templates/file-format.js';
import { routesOf, validateTemplate, type ValidationResult } from '../templates/validation/index.js';
import { sampleValues } from '../templates/validation/samples.js';
import { messageKeys } from '../templates/catalogue.js';
import { label } from '../i18n/index.js';
import { templateVariables } from '../templates/variables.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const editSchema = z
  .object({ enabled: z.boolean().default(true), content: z.record(z.string(), z.unknown()) })
  .strict();
const previewSchema = z
  .object({
    channel: z.string(),
    key: z.string(),
    route: z.string(),
    enabled: z.boolean().default(true),
    content: z.record(z.string(), z.unknown()),
    letterId: z.string().optional(),
  })
  .strict();
const rollbackSchema = z.object({ version: z.number().int().min(1) }).strict();

export function templateRoutes(s: GatewayServices, channels: ChannelRegistry): Router {
  const router = new Router();
  const operator = requireRole('operator');
  const validate = async (entry: unknown, letterId?: string): Promise<ValidationResult> => {
    let values = sampleValues();
    if (letterId) {
      const row = isUuid(letterId)
        ? await s.db.selectFrom('letters').select(['body', 'serial']).where('id', '=', letterId).executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('letter_not_found');
      values = sampleValues(row.body, row.serial);
    }
    return validateTemplate(entry, channelRoutes, { values, config: s.config });
  };
  const target = (ctx: { params: Record<string, string | undefined> }) => ({
    channel: ctx.params.channel!,
    route: ctx.params.route!,
    key: ctx.params.key!,
  });

  router.get('/templates', async (ctx) => {
    const channels = s.config.CHANNELS.map((c) => ({
      channel: c,
      routes: routesOf(channelRoutes, c).map((r) => ({ route: r, label: label('route', r) })),
    }));
    ctx.body = { templates: await s.templates.list(), channels, keys: messageKeys, variables: templateVariables };
  });

  router.get('/templates/:channel/:route/:key', async (ctx) => {
    const t = target(ctx);
    const versions = await s.templates.history(t.channel, t.key, t.route);
    if (versions.length === 0 && !(t.key in messageKeys && routesOf(channelRoutes, t.channel).includes(t.route)))
      throw new AppError('not_found');
    // The form's inputs come from the channel's adapter, so the console knows no channel's content shape.
    const fields = channels.get(t.channel as never)?.routes?.[t.route]?.form ?? [];
    ctx.body = { ...t, current: versions[0] ?? null, versions, fields };
  });

  router.post('/templates/preview', async (ctx) => {
    const body = parseBody(previewSchema, await readJson(ctx));
    const { letterId, ...entry } = body;
    const r = await validate(entry, letterId);
    ctx.body = { ok: r.ok, problems: r.problems, preview: r.preview };
  });

  router.put('/templates/:channel/:route/:key', operator, async (ctx) => {
    const body = parseBody(editSchema, await readJson(ctx));
    ctx.body = await saveChecked(ctx, { ...target(ctx), ...body }, 'template.save');
  });

  router.post('/templates/:channel/:route/:key/rollback', operator, async (ctx) => {
    const { version } = parseBody(rollbackSchema, await readJson(ctx, 1024));
    const t = target(ctx);
    const old = (await s.templates.history(t.channel, t.key, t.route)).find((v) => v.version === version);
    if (!old) throw new AppError('not_found', { detail: format(messages, 'admin.versionNotFound', { version }) });
    ctx.body = await saveChecked(ctx, { ...t, enabled: old.enabled, content: old.content }, 'template.rollback', {
      rolledBackTo: version,
    });
  });

  router.get('/templates-export', async (ctx) => {
    const file = await s.templates.exportAll();
    ctx.set('Content-Disposition', `attachment; filename="templates-${new Date().toISOString().slice(0, 10)}.json"`);
    ctx.body = file;
  });

  router.post('/templates-import', operator, async (ctx) => {
    const json = await readJson(ctx, 2 * 1024 * 1024);
    let file: TemplatesFile;
    try {
      file = parseTemplatesFile(json, format(messages, 'admin.importFile'));
    } catch (err) {
      throw new AppError('request_invalid', { detail: (err as Error).message });
    }
    const problems = [];
    for (const [i, t] of file.templates.entries()) {
      const r = await validate(t);
      problems.push(
        ...r.problems
          .filter((p) => p.severity === 'error')
          .map((p) => ({ ...p, field: `templates.${i}.${p.field}`, template: `${t.channel}/${t.route}/${t.key}` })),
      );
    }
    if (problems.length > 0) throw new AppError('template_invalid', { problems });
    const me = staffOf(ctx);
    const saved = [];
    for (const t of file.templates) {
      const before = await s.templates.history(t.channel, t.key, t.route).then((v) => v[0] ?? null);
      const after = await s.templates.save(t, 'staff', me.username);
      if (before?.version === after.version) continue;
      saved.push({ channel: t.channel, key: t.key, route: t.route, version: after.version });
      await audit(s.db, me, {
        action: 'template.import',
        targetType: 'template',
        targetId: `${t.channel}/${t.route}/${t.key}`,
        before: before ? { version: before.version, enabled: before.enabled, content: before.content } : null,
        after: { version: after.version, enabled: after.enabled, content: after.content },
      });
    }
    ctx.body = { imported: file.templates.length, changed: saved };
  });

  async function saveChecked(ctx: Context, entry: unknown, action: string, extra: Record<string, unknown> = {}) {
    const r = await validate(entry);
    if (!r.ok || !r.entry)
      throw new AppError('template_invalid', {
        problems: r.problems.filter((p) => p.severity === 'error'),
        warnings: r.problems.filter((p) => p.severity === 'warning'),
      });
    const e = r.entry;
    const before = await s.templates.history(e.channel, e.key, e.route).then((v) => v[0] ?? null);
    const saved = await s.templates.save(e, 'staff', staffOf(ctx).username);
    if (before?.version !== saved.version) {
      await audit(s.db, staffOf(ctx), {
        action,
        targetType: 'template',
        targetId: `${e.channel}/${e.route}/${e.key}`,
        before: before ? { version: before.version, enabled: before.enabled, content: before.content } : null,
        after: { version: saved.version, enabled: saved.enabled, content: saved.content, ...extra },
      });
    }
    return {
      version: saved.version,
      changed: before?.version !== saved.version,
      problems: r.problems,
      preview: r.preview,
    };
  }

  return router;
}
