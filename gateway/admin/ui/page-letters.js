// Letters: search, and one letter's page (canonical form, source messages, forward attempts, deliveries with every
// attempt) with retry, resend and the audited phone reveal.
import { h, mount, toast, fmtTime, table, field, badge } from './dom.js';
import { api, can, labels } from './api.js';

export async function lettersPage(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const inputs = {
    serial: h('input', { id: 'q-serial', value: q.get('serial') ?? '' }),
    channel: h('select', { id: 'q-channel' }, h('option', { value: '' }, '全部'), Object.entries(labels.channel).map(([v, t]) => h('option', { value: v, selected: q.get('channel') === v }, t))),
    origin: h('select', { id: 'q-origin' }, h('option', { value: '' }, '全部'), Object.entries(labels.origin).map(([v, t]) => h('option', { value: v, selected: q.get('origin') === v }, t))),
    status: h('select', { id: 'q-status' }, h('option', { value: '' }, '全部'), h('option', { value: 'stuck', selected: q.get('status') === 'stuck' }, '卡住（未能转交）'), h('option', { value: 'pending', selected: q.get('status') === 'pending' }, '待转交'),
      Object.entries(labels.status).map(([v, t]) => h('option', { value: v, selected: q.get('status') === v }, t))),
    from: h('input', { id: 'q-from', type: 'date', value: q.get('from') ?? '' }),
    to: h('input', { id: 'q-to', type: 'date', value: q.get('to') ?? '' }),
    phone: h('input', { id: 'q-phone', inputmode: 'numeric', placeholder: '至少后 4 位', value: q.get('phone') ?? '' }),
  };
  const results = h('div', { 'aria-live': 'polite' });
  const search = async () => {
    const p = new URLSearchParams(Object.entries(inputs).filter(([, c]) => c.value).map(([k, c]) => [k, c.value]));
    history.replaceState(null, '', `#/letters?${p}`);
    const r = await api('GET', `/letters?${p}`);
    mount(results, h('p', {}, `找到 ${r.letters.length} 封${r.letters.length === 100 ? '（只显示最新 100 封）' : ''}`),
      table(['流水号', '渠道', '来源', '来信人', '信箱', '类型', '标题', '状态', '收到时间'], r.letters.map((l) =>
        h('tr', {}, h('td', {}, h('a', { href: `#/letters/${l.id}` }, l.serial ?? '（未受理）')), h('td', {}, labels.channel[l.channel]), h('td', { class: 'origin' }, labels.origin[l.origin] ?? l.origin), h('td', {}, l.citizen_id), h('td', {}, l.mailbox),
          h('td', {}, labels.kind[l.kind] ?? l.kind), h('td', {}, l.title), h('td', {}, l.stuck ? badge('卡住', 'stuck') : l.forward_state === 'rejected' ? badge('被拒收', 'rejected') : badge(labels.status[l.status] ?? l.status, l.status)),
          h('td', {}, fmtTime(l.received_at))))));
  };
  mount(main, h('h2', {}, '来信'),
    h('form', { class: 'card', onsubmit: (e) => { e.preventDefault(); search(); } },
      h('div', { class: 'row' }, field('流水号', inputs.serial), field('渠道', inputs.channel), field('来源', inputs.origin), field('状态', inputs.status), field('从', inputs.from), field('到', inputs.to), field('手机号', inputs.phone), h('button', { type: 'submit' }, '搜索'))),
    results);
  await search();
}

export async function letterPage(main, id) {
  const l = await api('GET', `/letters/${id}`);
  const actions = [];
  if (can('operator') && (l.forwardState === 'rejected' || (l.forwardState === 'pending' && l.stuck))) {
    actions.push(h('button', { type: 'button', id: 'retry-letter', onclick: async () => {
      try {
        await api('POST', `/letters/${id}/retry`);
        toast('已重新排队转交');
      } catch (x) {
        toast(`重试失败：${x.message}`);
      }
      letterPage(main, id);
    } }, '重试转交'));
  }
  const phoneBox = h('span', { 'aria-live': 'polite' });
  if (can('admin')) {
    actions.push(h('button', { type: 'button', class: 'secondary', onclick: async () => {
      const reason = prompt('查看完整手机号须写明原因（记入审计日志）');
      if (!reason || reason.trim().length < 2) return toast('未填写原因，未显示');
      try {
        const r = await api('POST', `/letters/${id}/reveal-phone`, { reason: reason.trim() });
        phoneBox.textContent = `手机号：${r.phone ?? '（无）'}，渠道用户：${r.channelUserId}（已记入审计日志）`;
      } catch (x) {
        toast(`失败：${x.message}`);
      }
    } }, '显示完整手机号'));
  }
  mount(main,
    h('p', {}, h('a', { href: '#/letters' }, '← 返回来信列表')),
    h('h2', {}, `来信 ${l.serial ?? l.id}`),
    h('div', { class: 'card' },
      h('p', {}, '状态：', l.stuck ? badge('卡住', 'stuck') : badge(labels.status[l.status] ?? l.status, l.status), ' 转交：', badge(l.forwardState), ` 尝试 ${l.forwardAttempts} 次`),
      l.lastForwardError ? h('p', {}, `最近错误：${l.lastForwardError}`) : null,
      l.rejectedReason ? h('p', {}, `拒收原因：${l.rejectedReason}`) : null,
      h('p', {}, `渠道：${labels.channel[l.channel]}　来信人：${l.letter.citizen.channelUserId}　收到：${fmtTime(l.receivedAt)}`),
      h('div', { class: 'row' }, actions), phoneBox),
    h('div', { class: 'card' }, h('h3', {}, '来信内容（标准格式）'), h('pre', {}, JSON.stringify(l.letter, null, 2))),
    h('div', { class: 'card' }, h('h3', {}, '原始消息'), table(['消息 ID', '类型', '时间'], l.sourceMessages.map((m) => h('tr', {}, h('td', {}, m.provider_message_id), h('td', {}, m.type), h('td', {}, fmtTime(m.received_at)))))),
    h('div', { class: 'card' }, h('h3', {}, '转交记录'), table(['时间', '结果', 'HTTP', '错误', '耗时'], l.forwardLog.map((a) => h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', {}, badge(a.outcome)), h('td', {}, a.http_status ?? '—'), h('td', {}, a.error ?? ''), h('td', {}, `${a.duration_ms} ms`))))),
    h('div', { class: 'card' }, h('h3', {}, '发给市民的消息'), l.deliveries.map((d) => deliveryCard(d, () => letterPage(main, id)))),
  );
}

export function deliveryCard(d, reload) {
  return h('div', { class: 'card' },
    h('p', {}, h('strong', {}, `${d.templateKey}`), ` · ${d.kind} · `, badge(labels.delivery[d.status] ?? d.status, d.status), ` · 方式 ${d.route ?? '—'} · 模板版本 ${d.templateVersion ? `v${d.templateVersion}` : '—'}`),
    d.lastError ? h('p', {}, `错误：${d.lastError}`) : null,
    d.rendered ? h('pre', {}, JSON.stringify(d.rendered, null, 2)) : null,
    table(['时间', '方式', '结果', '错误'], d.attempts.map((a) => h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', {}, a.route), h('td', {}, badge(a.outcome)), h('td', {}, [a.errorCode, a.error].filter(Boolean).join('：'))))),
    d.status === 'failed' && can('operator') ? h('button', { type: 'button', onclick: () => resend(d.id, reload) }, '重发') : null);
}

export async function resend(id, reload) {
  try {
    const r = await api('POST', `/deliveries/${id}/resend`);
    toast(`已重发，新消息 ${r.deliveryId}`);
    reload();
  } catch (x) {
    toast(`重发失败：${x.message}`);
  }
}
