// What the letters and deliveries lists share: filters read from and written to the URL (so a list can be bookmarked
// and shared), keyset paging (next page by cursor, previous pages remembered), sortable column headers that say their
// order to screen readers, a count, and exports of the current filter after asking for the reason.
import { h, field } from './dom.js';
import { askReason } from './dialog.js';
import { t } from './i18n.js';

export const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] ?? '');

/** Writes `params` (empty values left out) into the page's URL without adding a history entry per keystroke. */
export function writeHashQuery(path, params) {
  const p = new URLSearchParams([...params].filter(([, v]) => v !== '' && v !== null && v !== undefined));
  history.replaceState(null, '', `#/${path}${p.size ? `?${p}` : ''}`);
  return p;
}

/** A column header: a button when the column sorts, with aria-sort telling the current order. */
export function sortHeader(text, key, current, onSort) {
  if (!key) return h('th', { scope: 'col' }, text);
  const active = current.sort === key;
  const next = active && current.dir === 'desc' ? 'asc' : 'desc';
  return h(
    'th',
    { scope: 'col', 'aria-sort': active ? (current.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
    h(
      'button',
      {
        type: 'button',
        class: 'sort',
        onclick: () => onSort(key, next),
        'aria-label': t('console.list.sortBy', {
          text,
          order: next === 'asc' ? t('console.list.ascending') : t('console.list.descending'),
        }),
      },
      text,
      active ? (current.dir === 'asc' ? ' ▲' : ' ▼') : '',
    ),
  );
}

export function countText(r, shown, noun) {
  return r.totalCapped
    ? t('console.list.countMoreShown', { total: r.total, noun, shown, noun3: noun })
    : t('console.list.countShown', { total: r.total, noun, shown, noun3: noun });
}

/** Paging buttons: first page, previous (from the remembered cursors) and next (the server's cursor). */
export function pager(state, next, go) {
  return h(
    'nav',
    { class: 'row pager', 'aria-label': t('console.list.paging') },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: state.stack.length === 0,
        onclick: () => {
          state.stack = [];
          go('');
        },
      },
      t('console.list.firstPage'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: state.stack.length === 0,
        onclick: () => go(state.stack.pop() ?? ''),
      },
      t('console.list.previousPage'),
    ),
    h('span', { class: 'meta' }, t('console.list.pageNumber', { page: state.stack.length + 1 })),
    h(
      'button',
      {
        type: 'button',
        id: 'next-page',
        disabled: !next,
        onclick: () => {
          state.stack.push(state.cursor);
          go(next);
        },
      },
      t('console.list.nextPage'),
    ),
  );
}

/** Export buttons: ask why, then download the current filter from `endpoint` as .xlsx or CSV. */
export function exportButtons(endpoint, params, what) {
  const run = async (format) => {
    const reason = await askReason(
      t('console.list.exportAs', { what, format: format === 'xlsx' ? 'Excel' : 'CSV' }),
      t('console.list.exportAudited'),
    );
    if (!reason) return;
    const p = new URLSearchParams([...params()].filter(([k]) => k !== 'cursor'));
    p.set('format', format);
    p.set('reason', reason);
    const a = h('a', { href: `/admin/api${endpoint}?${p}`, download: '' });
    document.body.append(a);
    a.click();
    a.remove();
  };
  return h(
    'div',
    { class: 'row exports' },
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'export-xlsx', onclick: () => run('xlsx') },
      t('console.list.exportExcel'),
    ),
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'export-csv', onclick: () => run('csv') },
      t('console.list.exportCsv'),
    ),
  );
}

/** A select's options: "all" first (empty value), then each value with its text, `selected` marked. */
export function choices(allText, values, selected) {
  return [
    h('option', { value: '' }, allText),
    Object.entries(values).map(([v, text]) => h('option', { value: v, selected: selected === v }, text)),
  ];
}

/** The query of a list: each filter's value, the sort and the cursor, empty ones left out. */
export function listParams(inputs, state) {
  return new URLSearchParams(
    [
      ...Object.entries(inputs).map(([k, c]) => [k, c.value.trim()]),
      ['sort', state.sort],
      ['dir', state.dir],
      ['cursor', state.cursor],
    ].filter(([, v]) => v),
  );
}

/**
 * The filter form above a list: one labelled field per input, search (back to the first page), an optional clear
 * button, and the exports of the current filter.
 */
export function filterForm({ label, inputs, fieldName, searchText, clearText, exportEndpoint, params, what, search }) {
  const restart = () => search();
  return h(
    'form',
    {
      class: 'card filters',
      'aria-label': label,
      onsubmit: (e) => {
        e.preventDefault();
        restart();
      },
    },
    h(
      'div',
      { class: 'row' },
      Object.entries(inputs).map(([k, c]) => field(fieldName(k), c)),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit' }, searchText),
      clearText
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                for (const c of Object.values(inputs)) c.value = '';
                restart();
              },
            },
            clearText,
          )
        : null,
      exportButtons(exportEndpoint, params, what),
    ),
  );
}
