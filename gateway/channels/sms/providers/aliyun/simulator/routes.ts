// The simulated Aliyun SMS API (Dysmsapi 2017-05-25), mounted in the gateway itself in sandbox mode under
// /sandbox/providers/aliyun: the live SMS adapter, through the official SDK, calls SendSms and QuerySendDetails here,
// each call signed as the SDK signs it for Aliyun (signature.ts) and refused like Aliyun refuses a wrong signature.
// Accepted messages get their delivery report pushed back to the gateway's report endpoint a moment later, with the
// push token in the URL exactly as Aliyun's HTTP batch push is configured; staff can make the carrier fail it. The
// report waits in the call's row until pushed, so a restart does not lose it.
import type Router from '@koa/router';
import { sql } from 'kysely';
import type { Context } from 'koa';
import { randomInt } from 'node:crypto';
import type { Db } from '../../../../../store/db.js';
import type { Logger } from '../../../../../observability/logger.js';
import { AppError } from '../../../../../errors.js';
import { recordCall, refusing, SIMULATOR_PATH } from '../../../../sandbox/simulation.js';
import { readRaw } from '../../../../../http/body.js';
import { checkSignature } from './signature.js';
import { aliyunTime, approvedTemplate, checkSendSms, codes, shownSms, type ApprovedTemplate } from './rules.js';

export const ALIYUN_SIMULATOR = `${SIMULATOR_PATH}/aliyun`;
const bodyLimit = 64 * 1024;
/**
 * How often due delivery reports are looked for besides the timer each send sets: a report whose timer was lost
 * with its process (a stop, a crash) is pushed by the next sweep of any instance.
 */
const sweepMs = 5_000;

export interface AliyunSimulatorOptions {
  db: Db;
  log: Logger;
  channel: string;
  accessKey: () => Promise<{ id: string; secret: string }>;
  /** Where delivery reports are pushed (the report URL with its token), or undefined when no push is configured. */
  reportUrl: () => string | undefined;
  /** How long after SendSms the report comes. */
  reportDelayMs: number;
  /** Template codes the operator configured in settings (e.g. the verification code's), approved as well. */
  configuredTemplates: readonly string[];
  /** The gateway's public address now: links in approved wording are approved for it. */
  publicBaseUrl: () => string;
}

type Query = Record<string, string | undefined>;

const json = (ctx: Context, status: number, body: unknown) => {
  ctx.status = status;
  ctx.type = 'application/json;charset=utf-8';
  ctx.body = JSON.stringify(body);
};
const requestId = () => `SIM-${Date.now().toString(16)}-${randomInt(1e9).toString(16)}`.toUpperCase();

export function mountAliyunSimulator(router: Router, o: AliyunSimulatorOptions): { stop(): void } {
  /**
   * The approved templates are the TemplateCodes of staff templates of any channel that sends SMS (this one, the web
   * mailbox), with their wording and longer limits, and the codes configured in settings. A link in the wording
   * (`{{publicBaseUrl}}`) is the gateway's address as set now, as the account would have it approved.
   */
  const approved = async (code: string | undefined): Promise<ApprovedTemplate | undefined> => {
    if (!code) return undefined;
    const rows = await o.db
      .selectFrom('templates')
      .select('content')
      .where(sql<string>`content ->> 'templateCode'`, '=', code)
      .orderBy('version', 'desc')
      .execute();
    const base = o.publicBaseUrl();
    return approvedTemplate(
      rows.map((r) =>
        typeof r.content.text === 'string'
          ? { ...r.content, text: r.content.text.replaceAll('{{publicBaseUrl}}', base) }
          : r.content,
      ),
      code,
      o.configuredTemplates,
    );
  };

  // A report is a row's pending report with its due time, pushed by the sweep below at least once: the push is
  // claimed for a while (another instance leaves it alone), and only a push the gateway took clears it.
  const timers = new Set<NodeJS.Timeout>();
  const pushReport = async (callId: string, item: Record<string, unknown>) => {
    await o.db
      .updateTable('sandbox_provider_calls')
      .set({ report_pending: JSON.stringify(item), report_due_at: new Date(Date.now() + o.reportDelayMs) })
      .where('id', '=', callId)
      .execute();
    const timer = setTimeout(() => {
      timers.delete(timer);
      runSweep();
    }, o.reportDelayMs);
    timer.unref();
    timers.add(timer);
  };
  const pushDue = async () => {
    const claimed = await sql<{ id: string; report_pending: unknown }>`
      update sandbox_provider_calls set report = report_pending, report_due_at = now() + interval '30 seconds'
      where id in (select id from sandbox_provider_calls where channel = ${o.channel} and report_due_at <= now()
                   order by report_due_at limit 20 for update skip locked)
      returning id, report_pending`.execute(o.db);
    for (const row of claimed.rows) {
      const url = o.reportUrl();
      try {
        // Without a push URL Aliyun keeps the report for QuerySendDetails only.
        if (url) {
          const r = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([row.report_pending]),
          });
          if (!r.ok) {
            o.log.warn({ status: r.status }, 'sandbox: the delivery report push was refused');
            continue;
          }
        }
        await o.db
          .updateTable('sandbox_provider_calls')
          .set({ report_pending: null, report_due_at: null })
          .where('id', '=', row.id)
          .execute();
      } catch (err) {
        o.log.warn({ err }, 'sandbox: delivery report push failed');
      }
    }
  };
  let sweeping = false;
  let again = false;
  const runSweep = () => {
    // One sweep at a time; a timer firing meanwhile makes the running one look once more when it is done.
    if (sweeping) {
      again = true;
      return;
    }
    sweeping = true;
    pushDue()
      .catch((err: unknown) => o.log.warn({ err }, 'sandbox: delivery report sweep failed'))
      .finally(() => {
        sweeping = false;
        if (again) {
          again = false;
          runSweep();
        }
      });
  };
  const sweep = setInterval(runSweep, sweepMs);
  sweep.unref();

  const sendSms = async (ctx: Context, q: Query) => {
    const sign = q.SignName ?? '';
    const template = await approved(q.TemplateCode);
    const checked = checkSendSms(q, template);
    const refused = 'Code' in checked ? checked : (await refusing(o.db, o.channel, 'quota')) ? codes.limit : undefined;
    const outId = q.OutId && /^[0-9a-f-]{36}$/i.test(q.OutId) ? q.OutId : undefined;
    const common = {
      deliveryId: outId,
      channel: o.channel,
      provider: 'aliyun',
      action: 'SendSms',
      recipient: q.PhoneNumbers ?? null,
      template: q.TemplateCode ?? null,
      request: q,
    };
    if (refused || 'Code' in checked) {
      const body = { ...(refused ?? codes.template), RequestId: requestId() };
      await recordCall(o.db, { ...common, answer: body, code: body.Code });
      json(ctx, 200, body);
      return;
    }
    const bizId = `${Date.now()}${randomInt(1e5).toString().padStart(5, '0')}^0`;
    const body = { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId() };
    const callId = await recordCall(o.db, {
      ...common,
      answer: body,
      code: 'OK',
      shown: shownSms(sign, template!, checked.params),
    });
    const carrierFails = await refusing(o.db, o.channel, 'carrier');
    const now = new Date();
    await pushReport(callId, {
      phone_number: checked.phone,
      send_time: aliyunTime(now),
      report_time: aliyunTime(new Date(now.getTime() + o.reportDelayMs)),
      success: !carrierFails,
      err_code: carrierFails ? 'MK:0001' : 'DELIVERED',
      err_msg: carrierFails ? '运营商拒绝投递' : '用户接收成功',
      sms_size: '1',
      biz_id: bizId,
      ...(q.OutId ? { out_id: q.OutId } : {}),
    });
    json(ctx, 200, body);
  };

  // https://help.aliyun.com/document_detail/55289.htm: SendStatus 1 waiting for the receipt, 2 failed, 3 delivered.
  const querySendDetails = async (ctx: Context, q: Query) => {
    if (!q.PhoneNumber || !/^\d{8}$/.test(q.SendDate ?? '')) {
      json(ctx, 400, {
        Code: 'MissingParameter',
        Message: 'PhoneNumber and SendDate are required',
        RequestId: requestId(),
      });
      return;
    }
    const pageSize = Math.min(Math.max(Number(q.PageSize) || 10, 1), 50);
    const page = Math.max(Number(q.CurrentPage) || 1, 1);
    const rows = await o.db
      .selectFrom('sandbox_provider_calls')
      .select(['request', 'report', 'shown', 'created_at', 'template'])
      .where('channel', '=', o.channel)
      .where('action', '=', 'SendSms')
      .where('code', '=', 'OK')
      .where('recipient', 'in', [q.PhoneNumber, `+86${q.PhoneNumber}`, `86${q.PhoneNumber}`])
      .orderBy('id')
      .execute();
    const day = rows.filter((r) => aliyunTime(new Date(r.created_at)).slice(0, 10).replace(/-/g, '') === q.SendDate);
    const list = day.slice((page - 1) * pageSize, page * pageSize).map((r) => {
      const report = r.report as { success?: boolean; err_code?: string; report_time?: string } | null;
      const request = r.request as Query;
      return {
        PhoneNum: q.PhoneNumber,
        SendStatus: report ? (report.success ? 3 : 2) : 1,
        ErrCode: report?.err_code ?? '',
        TemplateCode: r.template ?? '',
        Content: r.shown ?? '',
        SendDate: aliyunTime(new Date(r.created_at)),
        ReceiveDate: report?.report_time ?? '',
        OutId: request.OutId ?? '',
      };
    });
    json(ctx, 200, {
      Code: 'OK',
      Message: 'OK',
      RequestId: requestId(),
      TotalCount: day.length,
      SmsSendDetailDTOs: { SmsSendDetailDTO: list },
    });
  };

  const handle = async (ctx: Context) => {
    const q: Query = {};
    for (const [k, v] of Object.entries(ctx.query)) if (typeof v === 'string') q[k] = v;
    const key = await o.accessKey();
    const body = await readRaw(ctx, bodyLimit);
    const signed = checkSignature(
      {
        method: ctx.method,
        path: ctx.originalUrl.split('?')[0]!,
        query: q as Record<string, string>,
        headers: ctx.headers,
        body,
      },
      (id) => (id === key.id ? key.secret : undefined),
    );
    if (!signed.ok) {
      json(ctx, signed.status, {
        Code: signed.Code,
        Message: signed.Message,
        RequestId: requestId(),
        HostId: 'dysmsapi.aliyuncs.com',
      });
      return;
    }
    const action = ctx.get('x-acs-action') || q.Action;
    if (action === 'SendSms') return sendSms(ctx, q);
    if (action === 'QuerySendDetails') return querySendDetails(ctx, q);
    throw new AppError('not_found', { detail: `the simulated SMS API has no action ${String(action)}` });
  };
  router.post(ALIYUN_SIMULATOR, handle);
  router.post(`${ALIYUN_SIMULATOR}/`, handle);
  return {
    stop() {
      clearInterval(sweep);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
