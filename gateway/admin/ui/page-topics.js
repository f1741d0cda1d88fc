// The topic taxonomy (问题分类): the current topics with their keywords, adding one, editing one's name and keywords,
// retiring one (each a new version, audited), the retired topics old letters still carry, and the recent versions.
// Admins edit (the taxonomy decides how every letter counts); others read. Forms check as staff type, with the
// server's rules, and show the server's own problems beside the field they name. Every text comes from
// messages/page-topics.zh-CN.ts.
import { h, mount, toast, fmtTime, table } from './dom.js';
import { api, can } from './api.js';
import { has, t } from './i18n.js';
import { askReason } from './dialog.js';

const words = (text) =>
  text
    .split(/[,，、;；\s]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** The problems of a topic as typed, by field, with the rules the server applies (topic-routes.ts). */
function topicProblems({ code, name, keywords }) {
  const out = {};
  if (code !== undefined && !/^[a-z0-9-]{1,40}$/.test(code)) out.code = t('console.topics.problem.code');
  if (name.length < 1 || name.length > 50) out.name = t('console.topics.problem.name');
  const list = words(keywords);
  const twice = list.find((w, i) => list.indexOf(w) !== i);
  if (list.length > 200 || list.some((w) => w.length > 20)) out.keywords = t('console.topics.problem.keywords');
  else if (twice) out.keywords = t('console.topics.problem.duplicateKeyword', { word: twice });
  return out;
}

/**
 * A form whose fields show their problems beside them (aria-invalid, described by the problem), checked as staff type
 * once submitted, and on submit; `send(values)` is the call, whose problem answer is shown the same way. `fields` maps
 * a name to its control; the caller lays out each control with its label and `notes[name]`.
 */
function checkedForm(attrs, fields, send) {
  const notes = Object.fromEntries(
    Object.entries(fields).map(([k, c]) => [k, h('p', { class: 'problems', id: `${c.id}-problem` })]),
  );
  const values = () => Object.fromEntries(Object.entries(fields).map(([k, c]) => [k, c.value.trim()]));
  const show = (problems) => {
    for (const [k, c] of Object.entries(fields)) {
      notes[k].textContent = problems[k] ?? '';
      if (problems[k]) {
        c.setAttribute('aria-invalid', 'true');
        c.setAttribute('aria-describedby', notes[k].id);
      } else {
        c.removeAttribute('aria-invalid');
        c.removeAttribute('aria-describedby');
      }
    }
    return Object.keys(fields).find((k) => problems[k]);
  };
  let tried = false;
  for (const c of Object.values(fields))
    c.addEventListener('input', () => {
      if (tried) show(topicProblems(values()));
    });
  const form = h('form', {
    ...attrs,
    novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      tried = true;
      const first = show(topicProblems(values()));
      if (first) return fields[first].focus();
      try {
        await send(values());
      } catch (x) {
        // The server names the field (keywords.3 is the fourth keyword); anything else goes to the toast.
        const named = {};
        for (const p of x.body?.problems ?? []) {
          const k = String(p.field).split('.')[0];
          if (k in fields && !named[k]) named[k] = p.message;
        }
        const field = show(named);
        if (field) fields[field].focus();
        else toast(t('console.topics.failed', { message: x.message }));
      }
    },
  });
  return { form, notes };
}

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
  const saved = async (call) => {
    const done = await call();
    toast(t('console.topics.saved', { version: done.version }));
    await reload();
  };
  const edit = (topic, cell) => {
    const name = h('input', { id: `edit-name-${topic.code}`, value: topic.name, maxlength: 50, autocomplete: 'off' });
    const keywords = h('textarea', { id: `edit-keywords-${topic.code}`, rows: 4, cols: 40 }, topic.keywords.join('，'));
    const { form, notes } = checkedForm({ class: 'topic-edit' }, { name, keywords }, (v) =>
      saved(() => api('PATCH', `/topics/${topic.code}`, { name: v.name, keywords: words(v.keywords) })),
    );
    form.append(
      h('div', {}, h('label', { for: name.id }, t('console.topics.name')), name, notes.name),
      h('div', {}, h('label', { for: keywords.id }, t('console.topics.keywords')), keywords, notes.keywords),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, t('console.topics.save')),
        h('button', { type: 'button', class: 'secondary', onclick: reload }, t('console.topics.cancel')),
      ),
    );
    mount(cell, form);
    name.focus();
  };
  const retire = async (topic) => {
    const reason = await askReason(
      t('console.topics.retireLabel', { name: topic.name }),
      t('console.topics.retireHint'),
    );
    if (reason)
      await saved(() => api('DELETE', `/topics/${topic.code}`, { reason })).catch((x) =>
        toast(t('console.topics.failed', { message: x.message })),
      );
  };
  const editable = can('admin');
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
                'aria-label': t('console.topics.editButton', { name: topic.name }),
                onclick: () => edit(topic, actions),
              },
              t('console.topics.edit'),
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
          h('span', { class: 'keywords' }, topic.keywords.join('、')),
        ),
      ),
      editable ? actions : null,
    );
  });
  const code = h('input', { id: 'topic-code', pattern: '[a-z0-9-]{1,40}', autocomplete: 'off' });
  const name = h('input', { id: 'topic-name', maxlength: 50, autocomplete: 'off' });
  const keywords = h('input', { id: 'topic-keywords', autocomplete: 'off' });
  const adding = editable
    ? checkedForm({ class: 'card', 'aria-labelledby': 'topics-add', id: 'topic-add' }, { code, name, keywords }, (v) =>
        saved(() => api('POST', '/topics', { code: v.code, name: v.name, keywords: words(v.keywords) })),
      )
    : null;
  if (adding)
    adding.form.append(
      h('h3', { id: 'topics-add' }, t('console.topics.add')),
      h(
        'div',
        { class: 'row' },
        h('div', {}, h('label', { for: code.id }, t('console.topics.code')), code, adding.notes.code),
        h('div', {}, h('label', { for: name.id }, t('console.topics.name')), name, adding.notes.name),
        h('div', {}, h('label', { for: keywords.id }, t('console.topics.keywords')), keywords, adding.notes.keywords),
        h('button', { type: 'submit' }, t('console.topics.addButton')),
      ),
    );
  // Edits made here say what they were; a note written some other way is shown as written.
  const note = (n) => (!n ? '—' : has(`console.topics.note.${n}`) ? t(`console.topics.note.${n}`) : n);
  mount(
    main,
    h('h2', {}, t('console.topics.heading')),
    h('p', { class: 'meta' }, t('console.topics.intro')),
    editable ? null : h('p', { class: 'meta', id: 'topics-read-only' }, t('console.topics.adminOnly')),
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
    adding?.form ?? null,
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
