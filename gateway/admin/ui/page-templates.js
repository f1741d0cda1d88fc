// Templates: the list (with export and import), and the editor with live validation, preview as the citizen sees it,
// versions with comparison and rollback.
import { h, mount, toast, fmtTime, table, field, badge } from './dom.js';
import { api, can, labels } from './api.js';
import { label, t } from './i18n.js';
import { buildForm, readForm, showProblems, fieldLabel } from './template-form.js';
import { renderPreview, diffFields } from './preview.js';
import { askConfirm } from './dialog.js';

export async function templatesPage(main, params) {
  const catalogue = await api('GET', '/templates');
  if (params.length >= 3) return editor(main, catalogue, params[0], params[1], params.slice(2).join('/'));
  const keyLabel = (k) => label('templateKey', k, catalogue.keys[k] ?? k);
  const link = (t) => `#/templates/${t.channel}/${t.route}/${encodeURIComponent(t.key)}`;

  const channel = h(
    'select',
    { id: 'new-channel' },
    catalogue.channels.map((c) => h('option', { value: c.channel }, labels.channel[c.channel] ?? c.channel)),
  );
  const route = h('select', { id: 'new-route' });
  const fillRoutes = () =>
    mount(
      route,
      catalogue.channels
        .find((c) => c.channel === channel.value)
        .routes.map((r) => h('option', { value: r.route }, r.label)),
    );
  channel.addEventListener('change', fillRoutes);
  fillRoutes();
  const key = h(
    'select',
    { id: 'new-key' },
    Object.entries(catalogue.keys).map(([k, v]) => h('option', { value: k }, label('templateKey', k, v))),
  );
  const file = h('input', { id: 'import-file', type: 'file', accept: 'application/json,.json' });

  mount(
    main,
    h('h2', {}, t('console.templates.heading')),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t('console.templates.openOrCreate')),
      h(
        'div',
        { class: 'row' },
        field(t('console.templates.channel'), channel),
        field(t('console.templates.route'), route),
        field(t('console.templates.messageKey'), key),
        h(
          'button',
          {
            type: 'button',
            onclick: () => (location.hash = link({ channel: channel.value, route: route.value, key: key.value })),
          },
          t('console.templates.open'),
        ),
      ),
    ),
    table(
      [
        t('console.templates.channel'),
        t('console.templates.route'),
        t('console.templates.messageKey'),
        t('console.templates.version'),
        t('console.templates.status'),
        t('console.templates.changedBy'),
        t('console.templates.time'),
        '',
      ],
      catalogue.templates.map((tpl) =>
        h(
          'tr',
          {},
          h('td', {}, labels.channel[tpl.channel] ?? tpl.channel),
          h('td', {}, label('route', tpl.route)),
          h('td', {}, keyLabel(tpl.key)),
          h('td', {}, `v${tpl.version}`),
          h(
            'td',
            {},
            tpl.enabled
              ? badge(t('console.templates.enabled'), 'ok')
              : badge(t('console.templates.disabled'), 'failed'),
          ),
          h('td', {}, tpl.createdBy ?? label('templateSource', tpl.source)),
          h('td', {}, fmtTime(tpl.createdAt)),
          h(
            'td',
            {},
            h(
              'a',
              {
                href: link(tpl),
                'aria-label': t('console.templates.editTitle', {
                  channel: labels.channel[tpl.channel],
                  label: label('route', tpl.route),
                  keyLabel: keyLabel(tpl.key),
                }),
              },
              t('console.templates.edit'),
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t('console.templates.exportImport')),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'secondary', onclick: exportAll }, t('console.templates.exportAll')),
        can('operator') ? field(t('console.templates.importFile'), file) : null,
        can('operator')
          ? h('button', { type: 'button', onclick: () => importFile(file, main) }, t('console.templates.import'))
          : null,
      ),
    ),
  );
}

async function exportAll() {
  const data = await api('GET', '/templates-export');
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  h('a', { href: url, download: `templates-${new Date().toISOString().slice(0, 10)}.json` }).click();
  URL.revokeObjectURL(url);
}

async function importFile(input, main) {
  const f = input.files?.[0];
  if (!f) return toast(t('console.templates.chooseFileFirst'));
  let json;
  try {
    json = JSON.parse(await f.text());
  } catch {
    return toast(t('console.templates.fileNotJson'));
  }
  try {
    const r = await api('POST', '/templates-import', json);
    toast(t('console.templates.imported', { imported: r.imported, length: r.changed.length }));
    templatesPage(main, []);
  } catch (x) {
    const list = (x.body.problems ?? []).map((p) => h('li', {}, `${p.template ?? ''} ${p.field}：${p.message}`));
    main.append(
      h(
        'div',
        { class: 'card', role: 'alert' },
        h('h3', {}, t('console.templates.importFailed', { message: x.message })),
        h('ul', { class: 'problems' }, list),
      ),
    );
  }
}

async function editor(main, catalogue, channel, route, key) {
  const data = await api('GET', `/templates/${channel}/${route}/${encodeURIComponent(key)}`);
  const fields = data.fields ?? [];
  const readOnly = !can('operator');
  let current = data.current;
  const enabled = h('input', {
    id: 'tpl-enabled',
    type: 'checkbox',
    checked: current ? current.enabled : true,
    disabled: readOnly,
  });
  const letterId = h('input', { id: 'tpl-letter', placeholder: t('console.templates.sampleLetterHint') });
  const problemsBox = h('div', { id: 'problems', 'aria-live': 'polite' });
  const previewBox = h('div', { id: 'preview', 'aria-live': 'polite' });
  const versionsBox = h('div', { id: 'versions' });
  const diffBox = h('div', { id: 'diff' });
  let timer;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  };
  const form = buildForm(fields, current?.content ?? {}, schedule, readOnly);
  enabled.addEventListener('change', schedule);
  letterId.addEventListener('input', schedule);
  let lastFocused = null;
  for (const c of Object.values(form.controls)) c.addEventListener('focus', () => (lastFocused = c));

  const entry = () => ({ channel, key, route, enabled: enabled.checked, content: readForm(fields, form.controls) });
  async function check() {
    const body = { ...entry(), ...(letterId.value.trim() ? { letterId: letterId.value.trim() } : {}) };
    try {
      const r = await api('POST', '/templates/preview', body);
      show(r.problems, r.ok);
      renderPreview(previewBox, r.preview, channel);
    } catch (x) {
      show([{ field: 'letterId', message: x.message, severity: 'error' }], false);
    }
  }
  function show(problems, ok) {
    const rest = showProblems(fields, form.controls, problems);
    const errors = problems.filter((p) => p.severity === 'error').length;
    mount(
      problemsBox,
      h(
        'p',
        { class: errors ? '' : 'ok' },
        errors ? t('console.templates.errorsBlockSave', { errors }) : ok ? t('console.templates.valid') : '',
      ),
      rest.length
        ? h(
            'ul',
            { class: 'problems' },
            rest.map((p) =>
              h(
                'li',
                { class: p.severity },
                `${p.severity === 'error' ? t('console.templates.error') : t('console.templates.warning')}：${p.message}`,
              ),
            ),
          )
        : null,
    );
  }
  async function save() {
    try {
      const r = await api('PUT', `/templates/${channel}/${route}/${encodeURIComponent(key)}`, {
        enabled: enabled.checked,
        content: readForm(fields, form.controls),
      });
      toast(
        r.changed
          ? t('console.templates.savedAsVersion', { version: r.version })
          : t('console.templates.unchanged', { version: r.version }),
      );
      await refreshVersions();
    } catch (x) {
      if (x.body.problems) show([...x.body.problems, ...(x.body.warnings ?? [])], false);
      toast(t('console.templates.saveFailed', { message: x.message }));
    }
  }
  async function refreshVersions() {
    const d = await api('GET', `/templates/${channel}/${route}/${encodeURIComponent(key)}`);
    current = d.current;
    mount(
      versionsBox,
      table(
        [
          t('console.templates.version'),
          t('console.templates.source'),
          t('console.templates.changedBy'),
          t('console.templates.time'),
          '',
        ],
        d.versions.map((v) =>
          h(
            'tr',
            {},
            h('td', {}, `v${v.version}${v.version === current.version ? t('console.templates.inUse') : ''}`),
            h('td', {}, label('templateSource', v.source)),
            h('td', {}, v.createdBy ?? '—'),
            h('td', {}, fmtTime(v.createdAt)),
            h(
              'td',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onclick: () =>
                    mount(
                      diffBox,
                      h(
                        'h3',
                        {},
                        t('console.templates.compareWithActive', { version: v.version, version1: current.version }),
                      ),
                      diffFields(
                        v.content,
                        current.content,
                        (p) => fieldLabel(fields, p),
                        `v${v.version}`,
                        t('console.templates.activeVersion', { version: current.version }),
                      ),
                    ),
                },
                t('console.templates.compareVersion', { version: v.version }),
              ),
              ' ',
              !readOnly && v.version !== current.version
                ? h(
                    'button',
                    { type: 'button', onclick: () => rollback(v.version) },
                    t('console.templates.rollbackTo', { version: v.version }),
                  )
                : null,
            ),
          ),
        ),
      ),
    );
  }
  async function rollback(version) {
    if (!(await askConfirm(t('console.templates.confirmRollback', { version }), t('console.templates.rollbackNote'))))
      return;
    try {
      const r = await api('POST', `/templates/${channel}/${route}/${encodeURIComponent(key)}/rollback`, { version });
      toast(t('console.templates.rolledBack', { version: r.version }));
      editor(main, catalogue, channel, route, key);
    } catch (x) {
      toast(t('console.templates.rollbackFailed', { message: x.message }));
    }
  }
  const insert = (name) => {
    const c = lastFocused ?? Object.values(form.controls).at(-1);
    if (!c || readOnly) return;
    const at = c.selectionStart ?? c.value.length;
    c.value = c.value.slice(0, at) + `{{${name}}}` + c.value.slice(c.selectionEnd ?? at);
    c.focus();
    schedule();
  };

  mount(
    main,
    h('p', {}, h('a', { href: '#/templates' }, t('console.templates.backToList'))),
    h(
      'h2',
      {},
      `${labels.channel[channel] ?? channel} · ${label('route', route)} · ${label('templateKey', key, catalogue.keys[key] ?? key)}`,
    ),
    h(
      'div',
      { class: 'grid2' },
      h(
        'form',
        {
          class: 'card',
          onsubmit: (e) => {
            e.preventDefault();
            save();
          },
        },
        h('div', {}, enabled, ' ', h('label', { for: 'tpl-enabled', class: 'inline' }, t('console.templates.enabled'))),
        form.nodes,
        problemsBox,
        readOnly
          ? h('p', { class: 'meta' }, t('console.templates.readOnly'))
          : h('button', { type: 'submit', id: 'tpl-save' }, t('console.templates.save')),
      ),
      h(
        'div',
        {},
        h(
          'div',
          { class: 'card' },
          h('h3', {}, t('console.templates.preview')),
          field(t('console.templates.previewLetterId'), letterId),
          previewBox,
        ),
        h(
          'div',
          { class: 'card' },
          h('h3', {}, t('console.templates.variables')),
          h('p', { class: 'meta' }, t('console.templates.insertHint')),
          h(
            'ul',
            {},
            Object.keys(catalogue.variables).map((name) =>
              h(
                'li',
                {},
                h('button', { type: 'button', class: 'secondary', onclick: () => insert(name) }, `{{${name}}}`),
                ' ',
                h('span', { class: 'meta' }, label('variable', name, '')),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t('console.templates.version')),
      current ? versionsBox : h('p', {}, t('console.templates.neverSaved')),
      diffBox,
    ),
  );
  if (current) await refreshVersions();
  await check();
}
