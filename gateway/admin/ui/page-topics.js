// The topic taxonomy (问题分类): the current topics with their keywords, adding one, renaming one, retiring one (each a
// new version, audited), the retired topics old letters still carry, and the recent versions. Operators edit; viewers
// read. Every text comes from messages/page-topics.zh-CN.ts.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, can } from './api.js';
import { has, t } from './i18n.js';
import { askReason } from './dialog.js';

const words = (text) =>
  text
    .split(/[,，、\s]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** The page's entry in the console's navigation; its title read from the catalogue when the menu is drawn. */
export const topicsNav = {
  path: 'topics',
  role: 'viewer',
  render: (main) => topicsPage(main),
  title: 'console.topics.nav',
};

export async function topicsPage(main) {
  const r = await api('GET', '/topics');
  const reload = () => topicsPage(main);
  const run = async (call) => {
    try {
      const done = await call();
      toast(t('console.topics.saved', { version: done.version }));
      await reload();
    } catch (x) {
      toast(t('console.topics.failed', { message: x.message }));
    }
  };
  const rename = (topic, cell) => {
    const input = h('input', { id: `rename-${topic.code}`, value: topic.name, maxlength: 50, required: true });
    mount(
      cell,
      h(
        'form',
        {
          class: 'row',
          onsubmit: (e) => {
            e.preventDefault();
            run(() => api('PATCH', `/topics/${topic.code}`, { name: input.value.trim() }));
          },
        },
        field(t('console.topics.renameLabel', { name: topic.name }), input),
        h('button', { type: 'submit' }, t('console.topics.save')),
        h('button', { type: 'button', class: 'secondary', onclick: reload }, t('console.topics.cancel')),
      ),
    );
    input.focus();
  };
  const retire = async (topic) => {
    const reason = await askReason(
      t('console.topics.retireLabel', { name: topic.name }),
      t('console.topics.retireHint'),
    );
    if (reason) run(() => api('DELETE', `/topics/${topic.code}`, { reason }));
  };
  const editable = can('operator');
  const rows = r.topics.map((topic) => {
    const actions = h(
      'td',
      {},
      editable
        ? h(
            'div',
            { class: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': t('console.topics.renameButton', { name: topic.name }),
                onclick: () => rename(topic, actions),
              },
              t('console.topics.rename'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': t('console.topics.retireLabel', { name: topic.name }),
                onclick: () => retire(topic),
              },
              t('console.topics.retire'),
            ),
          )
        : null,
    );
    return h(
      'tr',
      { 'data-code': topic.code },
      h('td', { class: 'mono' }, topic.code),
      h('th', { scope: 'row' }, topic.name),
      h(
        'td',
        {},
        h(
          'details',
          {},
          h('summary', {}, t('console.topics.keywordCount', { n: topic.keywords.length })),
          topic.keywords.join('、'),
        ),
      ),
      editable ? actions : null,
    );
  });
  const code = h('input', { id: 'topic-code', required: true, pattern: '[a-z0-9-]{1,40}', autocomplete: 'off' });
  const name = h('input', { id: 'topic-name', required: true, maxlength: 50, autocomplete: 'off' });
  const keywords = h('input', { id: 'topic-keywords', autocomplete: 'off' });
  // Edits made here say what they were; a note written some other way is shown as written.
  const note = (n) => (!n ? '—' : has(`console.topics.note.${n}`) ? t(`console.topics.note.${n}`) : n);
  mount(
    main,
    h('h2', {}, t('console.topics.heading')),
    h('p', { class: 'meta' }, t('console.topics.intro')),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'topics-current' },
      h('h3', { id: 'topics-current' }, t('console.topics.current', { version: r.version })),
      table(
        [
          t('console.topics.col.code'),
          t('console.topics.col.name'),
          t('console.topics.col.keywords'),
          editable ? t('console.topics.col.actions') : null,
        ].filter(Boolean),
        rows,
        { id: 'topics-table' },
      ),
    ),
    editable
      ? h(
          'form',
          {
            class: 'card',
            'aria-labelledby': 'topics-add',
            onsubmit: (e) => {
              e.preventDefault();
              run(() =>
                api('POST', '/topics', {
                  code: code.value.trim(),
                  name: name.value.trim(),
                  keywords: words(keywords.value),
                }),
              );
            },
          },
          h('h3', { id: 'topics-add' }, t('console.topics.add')),
          h(
            'div',
            { class: 'row' },
            field(t('console.topics.code'), code),
            field(t('console.topics.name'), name),
            field(t('console.topics.keywords'), keywords),
            h('button', { type: 'submit' }, t('console.topics.addButton')),
          ),
        )
      : null,
    r.retired.length
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'topics-retired' },
          h('h3', { id: 'topics-retired' }, t('console.topics.retired')),
          h(
            'ul',
            { id: 'retired-topics' },
            r.retired.map((x) => h('li', {}, x.name, ' ', h('code', { class: 'mono' }, x.code))),
          ),
        )
      : null,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'topics-versions' },
      h('h3', { id: 'topics-versions' }, t('console.topics.versions')),
      table(
        ['version', 'at', 'by', 'note'].map((k) => t(`console.topics.col.${k}`)),
        r.versions.map((v) =>
          h(
            'tr',
            {},
            h('td', {}, `v${v.version}`),
            h('td', {}, fmtTime(v.createdAt)),
            h('td', {}, v.createdBy ?? t('console.topics.system')),
            h('td', {}, note(v.note)),
          ),
        ),
      ),
    ),
  );
}
