// The simulator: with channels in sandbox mode, staff write as a citizen and watch what the gateway sends back.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, can, labels } from './api.js';
import { label, t } from './i18n.js';

export async function sandboxPage(main) {
  const info = await api('GET', '/sandbox');
  if (info.channels.length === 0)
    return mount(main, h('h2', {}, t('console.sandbox.heading')), h('p', {}, t('console.sandbox.nothingSandboxed')));
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
        ? h('p', {}, t('console.sandbox.noMessagesYet'))
        : table(
            [
              t('console.sandbox.time'),
              t('console.sandbox.channel'),
              t('console.sandbox.route'),
              t('console.sandbox.content'),
            ],
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
    h('h2', {}, t('console.sandbox.heading')),
    h(
      'p',
      {},
      t('console.sandbox.intro', {
        join: info.submitWords.join(t('console.sandbox.or')),
        quietSeconds: info.quietSeconds,
      }),
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
            toast(r.letterId ? t('console.sandbox.sentAsLetter', { letterId: r.letterId }) : t('console.sandbox.sent'));
            text.value = '';
            load();
          } catch (x) {
            toast(t('console.sandbox.sendFailed', { message: x.message }));
          }
        },
      },
      h(
        'div',
        { class: 'row' },
        field(t('console.sandbox.channel'), channel),
        field(t('console.sandbox.citizen'), from),
        field(t('console.sandbox.kind'), kind),
      ),
      field(t('console.sandbox.text'), text),
      can('operator')
        ? h('button', { type: 'submit', id: 'sim-send' }, t('console.sandbox.send'))
        : h('p', { class: 'meta' }, t('console.sandbox.readOnly')),
    ),
    h('div', { class: 'card' }, h('h3', {}, t('console.sandbox.outbox')), outbox),
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
