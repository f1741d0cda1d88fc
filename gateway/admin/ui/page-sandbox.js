// The simulator: with channels in sandbox mode, staff write as a citizen and watch what the gateway sends back.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, can, labels } from './api.js';
import { label } from './i18n.js';

export async function sandboxPage(main) {
  const info = await api('GET', '/sandbox');
  if (info.channels.length === 0)
    return mount(main, h('h2', {}, '沙箱模拟'), h('p', {}, '所有渠道都已接入真实服务，没有沙箱可模拟。'));
  const channel = h(
    'select',
    { id: 'sim-channel' },
    info.channels.map((c) => h('option', { value: c }, labels.channel[c] ?? c)),
  );
  const citizenOf = (ch) => (ch === 'sms' ? '+8613700137000' : 'o_simulated_citizen_01');
  const from = h('input', { id: 'sim-from', value: citizenOf(channel.value) });
  const kind = h(
    'select',
    { id: 'sim-kind', disabled: channel.value !== 'wechat-mp' },
    Object.entries(labels.kind).map(([v, t]) => h('option', { value: v }, t)),
  );
  const text = h('textarea', { id: 'sim-text', rows: 3 }, '');
  channel.addEventListener('change', () => {
    from.value = citizenOf(channel.value);
    kind.disabled = channel.value !== 'wechat-mp';
    load();
  });
  const outbox = h('div', { 'aria-live': 'polite', id: 'sim-outbox' });
  const load = async () => {
    const r = await api('GET', `/sandbox/outbox?${new URLSearchParams({ recipient: from.value })}`);
    mount(
      outbox,
      r.messages.length === 0
        ? h('p', {}, '网关还没有给这位市民发过消息')
        : table(
            ['时间', '渠道', '方式', '内容'],
            r.messages.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, fmtTime(m.created_at)),
                h('td', {}, labels.channel[m.channel] ?? m.channel),
                h('td', {}, label('route', m.route)),
                h('td', {}, shown(m.payload.rendered ?? m.payload)),
              ),
            ),
          ),
    );
  };
  const timer = setInterval(() => (document.body.contains(outbox) ? load() : clearInterval(timer)), 2000);
  mount(
    main,
    h('h2', {}, '沙箱模拟'),
    h(
      'p',
      {},
      `以市民身份发消息：公众号和短信消息与真实推送走同一流程（发送“${info.submitWords.join('”或“')}”或静默 ${info.quietSeconds} 秒后成为来信；也可发“查询 流水号 提取码”、满意度回答等），小程序直接提交来信。下方显示网关发回给这位市民的消息。`,
    ),
    h(
      'form',
      {
        class: 'card',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            const r = await api('POST', '/sandbox/messages', {
              channel: channel.value,
              from: from.value,
              text: text.value,
              kind: kind.value,
            });
            toast(r.letterId ? `已发送，来信 ${r.letterId}` : '已发送');
            text.value = '';
            load();
          } catch (x) {
            toast(`发送失败：${x.message}`);
          }
        },
      },
      h(
        'div',
        { class: 'row' },
        field('渠道', channel),
        field('市民（手机号或 openid）', from),
        field('类型（小程序来信）', kind),
      ),
      field('消息内容', text),
      can('operator')
        ? h('button', { type: 'submit', id: 'sim-send' }, '以市民身份发送')
        : h('p', { class: 'meta' }, '只读账号不能模拟'),
    ),
    h('div', { class: 'card' }, h('h3', {}, '网关发回的消息'), outbox),
  );
  await load();
}

/** A sent message as the citizen sees it: an SMS with its parameters filled in, a text, or a card's fields. */
function shown(r) {
  if (typeof r.text === 'string' && r.params)
    return h(
      'div',
      { class: 'bubble' },
      r.text.replace(/\$\{([^}]*)\}/g, (_, k) => r.params[k] ?? ''),
    );
  if (typeof r.text === 'string') return h('div', { class: 'bubble wechat' }, r.text);
  if (r.data)
    return h(
      'dl',
      { class: 'bubble' },
      Object.entries(r.data).map(([k, v]) => [
        h('dt', { class: 'meta' }, k),
        h('dd', {}, typeof v === 'object' ? v.value : v),
      ]),
    );
  return h('pre', {}, JSON.stringify(r, null, 2));
}
