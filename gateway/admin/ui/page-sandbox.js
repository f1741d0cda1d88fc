// The simulator: with channels in sandbox mode, staff write as a citizen and watch what the gateway sends back.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, can, labels } from './api.js';
import { label, t } from './i18n.js';

export async function sandboxPage(main) {
  const info = await api('GET', '/sandbox');
  if (info.citizens.length === 0)
    return mount(main, h('h2', {}, t('console.sandbox.heading')), h('p', {}, t('console.sandbox.nothingSandboxed')));
  // Each channel describes whom the simulator plays (an openid or a phone, and the kinds when a letter is written
  // whole); the page names no channel.
  const citizenOf = (ch) => info.citizens.find((c) => c.channel === ch) ?? info.citizens[0];
  const channel = h(
    'select',
    { id: 'sim-channel' },
    info.citizens.map((c) => h('option', { value: c.channel }, labels.channel[c.channel] ?? c.channel)),
  );
  const from = h('input', { id: 'sim-from' });
  const kind = h('select', { id: 'sim-kind' });
  const text = h('textarea', { id: 'sim-text', rows: 3 }, '');
  const choose = () => {
    const c = citizenOf(channel.value);
    from.value = c.defaultId;
    from.inputMode = c.identity === 'phone' ? 'tel' : 'text';
    const kinds = c.kinds ?? Object.keys(labels.kind);
    kind.replaceChildren(...kinds.map((v) => h('option', { value: v }, labels.kind[v] ?? v)));
    kind.disabled = !c.kinds;
  };
  choose();
  channel.addEventListener('change', () => {
    choose();
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
              t('console.sandbox.providerAnswer'),
            ],
            r.messages.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, fmtTime(m.created_at)),
                h('td', {}, labels.channel[m.channel] ?? m.channel),
                h('td', {}, label('route', m.route)),
                h('td', {}, seen(m)),
                h(
                  'td',
                  {},
                  m.calls.map((c) => h('div', { class: 'meta' }, answerOf(c))),
                ),
              ),
            ),
          ),
    );
    mount(
      calls,
      r.calls.length === 0
        ? h('p', {}, t('console.sandbox.noMessagesYet'))
        : table(
            [
              t('console.sandbox.time'),
              t('console.sandbox.action'),
              t('console.sandbox.request'),
              t('console.sandbox.providerAnswer'),
            ],
            r.calls.map((c) =>
              h(
                'tr',
                {},
                h('td', {}, fmtTime(c.created_at)),
                h('td', {}, h('code', {}, c.action)),
                h('td', {}, h('pre', {}, JSON.stringify(c.request, null, 2))),
                h('td', {}, answerOf(c), h('pre', {}, JSON.stringify(c.answer, null, 2))),
              ),
            ),
          ),
    );
  };
  const calls = h('div', { id: 'sim-calls' });
  const refusals = h('div', { id: 'sim-refusals' });
  const loadRefusals = async () => {
    const r = await api('GET', '/sandbox/refusals');
    mount(
      refusals,
      r.channels.map((c) =>
        h(
          'fieldset',
          {},
          h('legend', {}, labels.channel[c.channel] ?? c.channel),
          c.kinds.map((kind) => {
            const name = t(`console.sandbox.refusal.${kind}`);
            const box = h('input', {
              type: 'checkbox',
              id: `refuse-${c.channel}-${kind}`,
              checked: c.on.some((o) => o.kind === kind),
              disabled: !can('operator'),
              onchange: async () => {
                try {
                  await api(box.checked ? 'PUT' : 'DELETE', `/sandbox/refusals/${c.channel}/${kind}`);
                  toast(t(box.checked ? 'console.sandbox.refusalOn' : 'console.sandbox.refusalOff', { label: name }));
                } catch (x) {
                  box.checked = !box.checked;
                  toast(t('console.sandbox.sendFailed', { message: x.message }));
                }
              },
            });
            return h('label', {}, box, ' ', name);
          }),
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
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t('console.sandbox.refusals')),
      h('p', { class: 'meta' }, t('console.sandbox.refusalsHelp')),
      refusals,
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t('console.sandbox.providerCalls')),
      h('p', { class: 'meta' }, t('console.sandbox.providerCallsHelp')),
      calls,
    ),
  );
  await Promise.all([load(), loadRefusals()]);
}

/** The provider's answer to one call: accepted (with its delivery report) or its errcode / Code (raw names as code). */
function answerOf(c) {
  const accepted = c.code === '0' || c.code === 'OK';
  return h(
    'span',
    {},
    h('code', {}, c.action),
    ' ',
    accepted ? t('console.sandbox.accepted') : h('code', {}, c.code),
    c.report ? [' · ', t('console.sandbox.report', { code: '' }), h('code', {}, c.report.err_code)] : [],
  );
}

/** What the citizen read: the text the simulated provider accepted for the delivery, else the rendered template. */
function seen(m) {
  const accepted = m.calls.find((c) => c.shown && (c.code === '0' || c.code === 'OK'));
  if (accepted) return h('div', { class: 'bubble' }, accepted.shown);
  return shown(m.payload.rendered ?? m.payload);
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
