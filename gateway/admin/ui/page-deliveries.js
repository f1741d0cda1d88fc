// Deliveries: messages to citizens with filters kept in the URL, newest or oldest first, a count, keyset paging,
// errors explained from the catalogue, resend of failed ones (once each) and exports of the filter.
import { h, mount, fmtTime, table, badge } from './dom.js';
import { api, can } from './api.js';
import { explainError, group, label, t } from './i18n.js';
import { resend } from './page-letter.js';
import { choices, countText, filterForm, hashQuery, listParams, pager, sortHeader, writeHashQuery } from './list.js';

const options = (values, selected) => choices(t('console.deliveries.all'), values, selected);

export async function deliveriesPage(main) {
  const q = hashQuery();
  const inputs = {
    status: h('select', {}, options(group('deliveryStatus'), q.get('status'))),
    channel: h('select', {}, options(group('channel'), q.get('channel'))),
    kind: h('select', {}, options(group('deliveryKind'), q.get('kind'))),
    templateKey: h('select', {}, options(group('templateKey'), q.get('templateKey'))),
    from: h('input', { type: 'date', value: q.get('from') ?? '' }),
    to: h('input', { type: 'date', value: q.get('to') ?? '' }),
  };
  const names = {
    status: t('console.deliveries.status'),
    channel: t('console.deliveries.channel'),
    kind: t('console.deliveries.kind'),
    templateKey: t('console.deliveries.message'),
    from: t('console.deliveries.dateFrom'),
    to: t('console.deliveries.dateTo'),
  };
  for (const [k, c] of Object.entries(inputs)) c.id = `d-${k}`;
  const state = { sort: 'createdAt', dir: q.get('dir') ?? 'desc', cursor: q.get('cursor') ?? '', stack: [] };
  const params = () => listParams(inputs, state);
  const results = h('div', { id: 'deliveries-results' });
  const status = h('p', { role: 'status', id: 'deliveries-count', tabindex: '-1' });
  const load = async () => {
    const p = writeHashQuery('deliveries', params());
    p.set('limit', '50');
    const r = await api('GET', `/deliveries?${p}`);
    status.textContent = countText(r, r.deliveries.length, t('console.deliveries.unit'));
    const onSort = (_key, dir) => {
      Object.assign(state, { dir, cursor: '', stack: [] });
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
          sortHeader(t('console.deliveries.time'), 'createdAt', state, onSort),
          ...[
            t('console.deliveries.channel'),
            t('console.deliveries.route'),
            t('console.deliveries.recipient'),
            t('console.deliveries.message'),
            t('console.deliveries.status'),
            t('console.deliveries.templateVersion'),
            t('console.deliveries.reason'),
            t('console.deliveries.letter'),
            t('console.deliveries.actions'),
          ].map((x) => h('th', { scope: 'col' }, x)),
        ],
        r.deliveries.map((d) =>
          h(
            'tr',
            {},
            h('td', {}, fmtTime(d.created_at)),
            h('td', {}, label('channel', d.channel)),
            h('td', {}, d.route ? label('route', d.route) : '—'),
            h('td', { class: 'mono' }, d.recipient),
            h('td', {}, label('templateKey', d.template_key)),
            h('td', {}, badge(label('deliveryStatus', d.status), d.status)),
            h('td', {}, d.template_version ? `v${d.template_version}` : '—'),
            h('td', {}, d.error_code ? explainError(d.error_code) : ''),
            h(
              'td',
              {},
              d.letter_id
                ? h(
                    'a',
                    { href: `#/letters/${d.letter_id}`, class: 'mono' },
                    d.serial ?? t('console.deliveries.viewLetter'),
                  )
                : '—',
            ),
            h(
              'td',
              {},
              d.resend_id
                ? t('console.deliveries.resent')
                : d.status === 'failed' && can('operator')
                  ? h(
                      'button',
                      {
                        type: 'button',
                        onclick: () => resend(d.id, load),
                        'aria-label': t('console.deliveries.resendLabel', {
                          fmtTime: fmtTime(d.created_at),
                          label: label('templateKey', d.template_key),
                        }),
                      },
                      t('console.deliveries.resend'),
                    )
                  : '',
            ),
          ),
        ),
      ),
      r.deliveries.length === 0 ? h('p', {}, t('console.deliveries.empty')) : null,
      pager(state, r.next, go),
    );
  };
  mount(
    main,
    h('h2', {}, t('console.deliveries.heading')),
    filterForm({
      label: t('console.deliveries.filterLabel'),
      inputs,
      fieldName: (k) => names[k],
      searchText: t('console.deliveries.filter'),
      exportEndpoint: '/exports/deliveries',
      params,
      what: t('console.deliveries.listLabel'),
      search: () => {
        Object.assign(state, { cursor: '', stack: [] });
        load();
      },
    }),
    status,
    results,
  );
  await load();
}
