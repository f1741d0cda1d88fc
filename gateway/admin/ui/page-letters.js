// Letters: the list with filters kept in the URL (topic, region, department and deadline among them), sortable
// columns, a count, keyset paging and exports of the filter. Each row names its topic, region, department and
// deadline, overdue marked.
import { h, mount, fmtTime, table, badge } from './dom.js';
import { api } from './api.js';
import { group, label, t } from './i18n.js';
import { choices, countText, filterForm, hashQuery, listParams, pager, sortHeader, writeHashQuery } from './list.js';

const options = (values, selected) => choices(t('console.letters.all'), values, selected);

/** Topics to filter by: the current ones, then retired ones (old letters still carry them). */
const topicOptions = (r, selected) =>
  options(
    Object.fromEntries([
      ...r.topics.map((x) => [x.code, x.name]),
      ...r.retired.map((x) => [x.code, t('console.letters.retiredTopic', { name: x.name })]),
    ]),
    selected,
  );

/** Regions to filter by: each county (with its streets) and then its streets, grouped under it. */
const regionOptions = (r, selected) => [
  h('option', { value: '' }, t('console.letters.all')),
  r.counties.map((c) =>
    h(
      'optgroup',
      { label: c.name },
      h('option', { value: c.code, selected: selected === c.code }, t('console.letters.wholeCounty', { name: c.name })),
      c.streets.map((x) => h('option', { value: x.code, selected: selected === x.code }, x.name)),
    ),
  ),
];

/** The deadline filter's choices, as the list marks rows (overdue: not replied by the deadline). */
const deadlineStates = () =>
  Object.fromEntries(['overdue', 'inTime', 'none'].map((k) => [k, t(`console.letters.deadline.${k}`)]));

export async function lettersPage(main) {
  const q = hashQuery();
  const forwardStates = group('forwardState');
  const [topics, regions] = await Promise.all([api('GET', '/topics'), api('GET', '/regions')]);
  const inputs = {
    serial: h('input', { value: q.get('serial') ?? '', autocomplete: 'off' }),
    phone: h('input', {
      inputmode: 'numeric',
      placeholder: t('console.letters.filter.phoneHint'),
      value: q.get('phone') ?? '',
      autocomplete: 'off',
    }),
    channel: h('select', {}, options(group('channel'), q.get('channel'))),
    mailbox: h('input', { value: q.get('mailbox') ?? '', placeholder: t('console.letters.filter.mailboxHint') }),
    kind: h('select', {}, options(group('kind'), q.get('kind'))),
    topic: h('select', {}, topicOptions(topics, q.get('topic'))),
    region: h('select', {}, regionOptions(regions, q.get('region'))),
    department: h('input', {
      value: q.get('department') ?? '',
      placeholder: t('console.letters.filter.departmentHint'),
      autocomplete: 'off',
    }),
    deadline: h('select', {}, options(deadlineStates(), q.get('deadline'))),
    status: h('select', {}, options(group('letterStatus'), q.get('status'))),
    forwardState: h('select', {}, options(forwardStates, q.get('forwardState'))),
    deliveryStatus: h('select', {}, options(group('deliveryStatus'), q.get('deliveryStatus'))),
    from: h('input', { type: 'date', value: q.get('from') ?? '' }),
    to: h('input', { type: 'date', value: q.get('to') ?? '' }),
  };
  for (const [k, c] of Object.entries(inputs)) c.id = `q-${k}`;
  const state = {
    sort: q.get('sort') ?? 'receivedAt',
    dir: q.get('dir') ?? 'desc',
    cursor: q.get('cursor') ?? '',
    stack: [],
  };
  const params = () => listParams(inputs, state);
  const results = h('div', { id: 'letters-results' });
  const status = h('p', { role: 'status', id: 'letters-count' });
  const load = async () => {
    const p = writeHashQuery('letters', params());
    p.set('limit', '50');
    const r = await api('GET', `/letters?${p}`);
    status.textContent = countText(r, r.letters.length, t('console.letters.noun'));
    const col = (key, sort) =>
      sort ? sortHeader(t(`console.letters.col.${key}`), sort, state, onSort) : t(`console.letters.col.${key}`);
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
          col('serial', 'serial'),
          col('channel', 'channel'),
          col('origin'),
          col('mailbox', 'mailbox'),
          col('kind'),
          col('topic'),
          col('region'),
          col('department'),
          col('deadline'),
          col('title'),
          col('status', 'status'),
          col('forwarding'),
          col('citizen'),
          col('receivedAt', 'receivedAt'),
        ],
        r.letters.map((l) =>
          h(
            'tr',
            { class: l.overdue ? 'overdue' : undefined },
            h(
              'td',
              {},
              h('a', { href: `#/letters/${l.id}`, class: 'mono' }, l.serial ?? t('console.letters.notAccepted')),
            ),
            h('td', {}, label('channel', l.channel)),
            h('td', {}, label('origin', l.origin)),
            h('td', {}, l.mailbox ?? '—'),
            h('td', {}, label('kind', l.kind)),
            h('td', { class: 'topic' }, l.topicName ?? '—'),
            h('td', { class: 'region' }, l.regionName ?? '—'),
            h('td', { class: 'department' }, l.department ?? '—'),
            h(
              'td',
              { class: 'deadline' },
              l.deadline_at ? fmtTime(l.deadline_at) : '—',
              l.overdue ? [' ', badge(t('console.letters.overdue'), 'failed overdue')] : null,
            ),
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
      r.letters.length === 0 ? h('p', {}, t('console.letters.none')) : null,
      pager(state, r.next, go),
    );
  };
  status.setAttribute('tabindex', '-1');
  mount(
    main,
    h('h2', {}, t('console.letters.heading')),
    filterForm({
      label: t('console.letters.filters'),
      inputs,
      fieldName: (k) => t(`console.letters.filter.${k}`),
      searchText: t('console.letters.search'),
      clearText: t('console.letters.clear'),
      exportEndpoint: '/exports/letters',
      params,
      what: t('console.letters.what'),
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
