// Letters: the list with filters kept in the URL, sortable columns, a count, keyset paging and exports of the filter.
import { h, mount, fmtTime, table, field, badge } from './dom.js';
import { api } from './api.js';
import { group, label } from './i18n.js';
import { countText, exportButtons, hashQuery, pager, sortHeader, writeHashQuery } from './list.js';

const options = (values, selected) => [
  h('option', { value: '' }, '全部'),
  Object.entries(values).map(([v, t]) => h('option', { value: v, selected: selected === v }, t)),
];

export async function lettersPage(main) {
  const q = hashQuery();
  const forwardStates = group('forwardState');
  const inputs = {
    serial: h('input', { value: q.get('serial') ?? '', autocomplete: 'off' }),
    phone: h('input', {
      inputmode: 'numeric',
      placeholder: '至少后 4 位',
      value: q.get('phone') ?? '',
      autocomplete: 'off',
    }),
    channel: h('select', {}, options(group('channel'), q.get('channel'))),
    mailbox: h('input', { value: q.get('mailbox') ?? '', placeholder: '信箱名称' }),
    kind: h('select', {}, options(group('kind'), q.get('kind'))),
    status: h('select', {}, options(group('letterStatus'), q.get('status'))),
    forwardState: h('select', {}, options(forwardStates, q.get('forwardState'))),
    deliveryStatus: h('select', {}, options(group('deliveryStatus'), q.get('deliveryStatus'))),
    from: h('input', { type: 'date', value: q.get('from') ?? '' }),
    to: h('input', { type: 'date', value: q.get('to') ?? '' }),
  };
  const names = {
    serial: '流水号',
    phone: '手机号',
    channel: '渠道',
    mailbox: '信箱',
    kind: '类型',
    status: '状态',
    forwardState: '转交状态',
    deliveryStatus: '有消息处于',
    from: '收到日期从',
    to: '收到日期到',
  };
  for (const [k, c] of Object.entries(inputs)) c.id = `q-${k}`;
  const state = {
    sort: q.get('sort') ?? 'receivedAt',
    dir: q.get('dir') ?? 'desc',
    cursor: q.get('cursor') ?? '',
    stack: [],
  };
  const params = () =>
    new URLSearchParams(
      [
        ...Object.entries(inputs).map(([k, c]) => [k, c.value.trim()]),
        ['sort', state.sort],
        ['dir', state.dir],
        ['cursor', state.cursor],
      ].filter(([, v]) => v),
    );
  const results = h('div', { id: 'letters-results' });
  const status = h('p', { role: 'status', id: 'letters-count' });
  const load = async () => {
    const p = writeHashQuery('letters', params());
    p.set('limit', '50');
    const r = await api('GET', `/letters?${p}`);
    status.textContent = countText(r, r.letters.length, '封');
    const onSort = (sort, dir) => {
      Object.assign(state, { sort, dir, cursor: '', stack: [] });
      load();
    };
    const go = (cursor) => {
      state.cursor = cursor;
      load().then(() => status.focus());
    };
    mount(
      results,
      table(
        [
          sortHeader('流水号', 'serial', state, onSort),
          sortHeader('渠道', 'channel', state, onSort),
          h('th', { scope: 'col' }, '来源'),
          sortHeader('信箱', 'mailbox', state, onSort),
          h('th', { scope: 'col' }, '类型'),
          h('th', { scope: 'col' }, '标题'),
          sortHeader('状态', 'status', state, onSort),
          h('th', { scope: 'col' }, '转交'),
          h('th', { scope: 'col' }, '来信人'),
          sortHeader('收到时间', 'receivedAt', state, onSort),
        ],
        r.letters.map((l) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/letters/${l.id}`, class: 'mono' }, l.serial ?? '（未受理）')),
            h('td', {}, label('channel', l.channel)),
            h('td', {}, label('origin', l.origin)),
            h('td', {}, l.mailbox ?? '—'),
            h('td', {}, label('kind', l.kind)),
            h('td', {}, l.title ?? ''),
            h('td', {}, badge(label('letterStatus', l.status), l.status)),
            h(
              'td',
              {},
              l.stuck
                ? badge(label('forwardState', 'stuck'), 'stuck')
                : badge(label('forwardState', l.forward_state), l.forward_state),
            ),
            h('td', { class: 'mono' }, l.citizen_id),
            h('td', {}, fmtTime(l.received_at)),
          ),
        ),
      ),
      r.letters.length === 0 ? h('p', {}, '没有符合条件的来信。') : null,
      pager(state, r.next, go),
    );
  };
  status.setAttribute('tabindex', '-1');
  mount(
    main,
    h('h2', {}, '来信'),
    h(
      'form',
      {
        class: 'card filters',
        'aria-label': '筛选来信',
        onsubmit: (e) => {
          e.preventDefault();
          Object.assign(state, { cursor: '', stack: [] });
          load();
        },
      },
      h(
        'div',
        { class: 'row' },
        Object.entries(inputs).map(([k, c]) => field(names[k], c)),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, '搜索'),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              for (const c of Object.values(inputs)) c.value = '';
              Object.assign(state, { cursor: '', stack: [] });
              load();
            },
          },
          '清除条件',
        ),
        exportButtons('/exports/letters', params, '来信'),
      ),
    ),
    status,
    results,
  );
  await load();
}
