import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { catalogues } from '../../gateway/i18n/index.js';
import { channelRoutes } from '../../gateway/channels/registry.js';
import { composeCatalogue, format } from '../../gateway/i18n/catalogue.js';
import { messageKeys } from '../../gateway/templates/catalogue.js';
import { templateVariables } from '../../gateway/templates/variables.js';
import { channels, letterKinds } from '../../shared/letter.js';
import { startConsoleGateway } from '../admin/_staff.js';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const gatewayCode = sources('gateway')
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
// The registry (imported above for its effect) has added the channels' fragments by now.
const zhCN = catalogues['zh-CN']!;
const missing = (keys: string[]) => keys.filter((k) => !(k in zhCN));

test('when a channel, route, template key, variable or kind exists, then the catalogue names it in Chinese', (t) => {
  const keys = [
    ...channels.map((c) => `channel.${c}`),
    ...Object.values(channelRoutes).flatMap((routes) => Object.keys(routes).map((r) => `route.${r}`)),
    ...Object.keys(messageKeys).map((k) => `templateKey.${k}`),
    ...Object.keys(templateVariables).map((v) => `variable.${v}`),
    ...letterKinds.map((k) => `kind.${k}`),
  ];
  t.deepEqual(missing(keys), []);
  for (const k of keys) t.regex(zhCN[k]!, /[\u4e00-\u9fff]/, k);
});

test('when the gateway writes an audit action or a delivery error code, then the catalogue explains it', (t) => {
  const actions = [...gatewayCode.matchAll(/action: '([a-z_.]+)'/g)].map((m) => `audit.${m[1]}`);
  const codes = [...gatewayCode.matchAll(/errorCode: '([A-Za-z_.]+)'/g)].map((m) => `errorCode.${m[1]}`);
  // The WeChat errcodes the official account's sender sorts into next route / retry, and the Aliyun codes it retries.
  const oa = readFileSync('gateway/channels/wechat-oa/outbound.ts', 'utf8');
  const wechat = [...oa.matchAll(/new Set\(\[([^\]]+)\]\)/g)].flatMap((m) =>
    m[1]!.split(',').map((n) => `errorCode.${n.trim()}`),
  );
  const aliyun = [
    ...readFileSync('gateway/channels/sms/providers/aliyun/codes.ts', 'utf8').matchAll(
      /'?((?:isv|isp)\.[A-Z_]+|ServiceUnavailable|Throttling)'?/g,
    ),
  ].map((m) => `errorCode.${m[1]}`);
  t.true(actions.length > 10 && codes.length > 5 && wechat.length > 5 && aliyun.length > 5);
  t.deepEqual(missing([...actions, ...codes, ...wechat, ...aliyun]), []);
  t.is(zhCN['errorCode.45015'], '45015 用户超过48小时未互动，无法发送客服消息');
});

test('when two fragments give one key different texts, then composing fails instead of picking one', (t) => {
  t.throws(() => composeCatalogue({ 'a.b': '甲' }, { 'a.b': '乙' }), { message: /a\.b/ });
  t.is(format({ 'x.y': '共 {n} 封' }, 'x.y', { n: 3 }), '共 3 封');
});

test('when the console asks for the zh-CN catalogue without a session, then it gets the same texts the server uses', async (t) => {
  const { gw } = await startConsoleGateway();
  try {
    const r = await fetch(`${gw.url}/admin/api/i18n/zh-CN`);
    t.is(r.status, 200);
    const body = (await r.json()) as { locale: string; messages: Record<string, string> };
    t.deepEqual(body.messages, { ...zhCN });
    t.is((await fetch(`${gw.url}/admin/api/i18n/xx-YY`)).status, 404);
  } finally {
    await gw.stop();
  }
});
