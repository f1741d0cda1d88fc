// Channel health: live or sandboxed, last inbound message, provider errors in the last hour, messages waiting, token.
import { h, mount, fmtTime, table, badge } from './dom.js';
import { api, labels } from './api.js';

export async function channelsPage(main) {
  const r = await api('GET', '/channels');
  const status = { ok: '正常', sandbox: '沙箱', failing: '有错误' };
  mount(
    main,
    h('h2', {}, '渠道状态'),
    h('p', {}, r.caseStore.sandbox ? badge('案件系统：内置沙箱', 'sandbox') : badge('案件系统：已配置', 'ok')),
    table(
      ['渠道', '状态', '已配置', '最近收到消息', '近 1 小时发送错误', '最近错误', '待发送', '令牌'],
      r.channels.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, labels.channel[c.channel] ?? c.channel),
          h('td', {}, badge(status[c.status], c.status)),
          h('td', {}, c.configured ? '是' : '否（沙箱）'),
          h('td', {}, fmtTime(c.lastInboundAt)),
          h('td', {}, String(c.providerErrorsLastHour)),
          h('td', {}, c.lastProviderError ? `${c.lastProviderError}（${fmtTime(c.lastProviderErrorAt)}）` : '—'),
          h('td', {}, String(c.waitingDeliveries)),
          h('td', {}, tokenText(c.token)),
        ),
      ),
    ),
  );
}

function tokenText(token) {
  if (!token) return '—';
  if (token.ok) return `有效，至 ${fmtTime(token.expiresAt)}`;
  return `异常：${token.lastError ?? (token.expiresAt ? `已于 ${fmtTime(token.expiresAt)} 过期` : '尚未获取')}`;
}
