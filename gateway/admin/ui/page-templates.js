// Templates: the list (with export and import), and the editor with live validation, preview as the citizen sees it,
// versions with comparison and rollback.
import { h, mount, toast, fmtTime, table, field, badge } from './dom.js';
import { api, can, labels } from './api.js';
import { label } from './i18n.js';
import { buildForm, readForm, showProblems, fieldLabel } from './template-form.js';
import { renderPreview, diffFields } from './preview.js';

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
    h('h2', {}, '消息模板'),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, '打开或新建模板'),
      h(
        'div',
        { class: 'row' },
        field('渠道', channel),
        field('发送方式', route),
        field('消息类型', key),
        h(
          'button',
          {
            type: 'button',
            onclick: () => (location.hash = link({ channel: channel.value, route: route.value, key: key.value })),
          },
          '打开',
        ),
      ),
    ),
    table(
      ['渠道', '发送方式', '消息类型', '版本', '状态', '修改人', '时间', ''],
      catalogue.templates.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, labels.channel[t.channel] ?? t.channel),
          h('td', {}, label('route', t.route)),
          h('td', {}, keyLabel(t.key)),
          h('td', {}, `v${t.version}`),
          h('td', {}, t.enabled ? badge('启用', 'ok') : badge('停用', 'failed')),
          h('td', {}, t.createdBy ?? label('templateSource', t.source)),
          h('td', {}, fmtTime(t.createdAt)),
          h(
            'td',
            {},
            h(
              'a',
              {
                href: link(t),
                'aria-label': `编辑 ${labels.channel[t.channel]} ${label('route', t.route)} ${keyLabel(t.key)}`,
              },
              '编辑',
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, '导出与导入'),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'secondary', onclick: exportAll }, '导出全部模板（JSON）'),
        can('operator') ? field('导入 JSON 文件', file) : null,
        can('operator') ? h('button', { type: 'button', onclick: () => importFile(file, main) }, '导入') : null,
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
  if (!f) return toast('请先选择文件');
  let json;
  try {
    json = JSON.parse(await f.text());
  } catch {
    return toast('文件不是有效的 JSON');
  }
  try {
    const r = await api('POST', '/templates-import', json);
    toast(`已导入 ${r.imported} 个模板，其中 ${r.changed.length} 个有变化`);
    templatesPage(main, []);
  } catch (x) {
    const list = (x.body.problems ?? []).map((p) => h('li', {}, `${p.template ?? ''} ${p.field}：${p.message}`));
    main.append(
      h(
        'div',
        { class: 'card', role: 'alert' },
        h('h3', {}, `导入失败：${x.message}`),
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
  const letterId = h('input', { id: 'tpl-letter', placeholder: '留空则用示例来信' });
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
        errors ? `有 ${errors} 处错误，修正后才能保存` : ok ? '校验通过，可以保存' : '',
      ),
      rest.length
        ? h(
            'ul',
            { class: 'problems' },
            rest.map((p) =>
              h('li', { class: p.severity }, `${p.severity === 'error' ? '错误' : '提醒'}：${p.message}`),
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
      toast(r.changed ? `已保存为版本 v${r.version}` : `内容没有变化，仍为版本 v${r.version}`);
      await refreshVersions();
    } catch (x) {
      if (x.body.problems) show([...x.body.problems, ...(x.body.warnings ?? [])], false);
      toast(`保存失败：${x.message}`);
    }
  }
  async function refreshVersions() {
    const d = await api('GET', `/templates/${channel}/${route}/${encodeURIComponent(key)}`);
    current = d.current;
    mount(
      versionsBox,
      table(
        ['版本', '来源', '修改人', '时间', ''],
        d.versions.map((v) =>
          h(
            'tr',
            {},
            h('td', {}, `v${v.version}${v.version === current.version ? '（使用中）' : ''}`),
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
                      h('h3', {}, `v${v.version} 与使用中的 v${current.version} 对比`),
                      diffFields(
                        v.content,
                        current.content,
                        (p) => fieldLabel(fields, p),
                        `v${v.version}`,
                        `使用中的 v${current.version}`,
                      ),
                    ),
                },
                `对比 v${v.version}`,
              ),
              ' ',
              !readOnly && v.version !== current.version
                ? h('button', { type: 'button', onclick: () => rollback(v.version) }, `回滚到 v${v.version}`)
                : null,
            ),
          ),
        ),
      ),
    );
  }
  async function rollback(version) {
    if (!confirm(`确定回滚到版本 v${version}？将以旧内容保存为新版本。`)) return;
    try {
      const r = await api('POST', `/templates/${channel}/${route}/${encodeURIComponent(key)}/rollback`, { version });
      toast(`已回滚：新版本 v${r.version}`);
      editor(main, catalogue, channel, route, key);
    } catch (x) {
      toast(`回滚失败：${x.message}`);
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
    h('p', {}, h('a', { href: '#/templates' }, '← 返回模板列表')),
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
        h('div', {}, enabled, ' ', h('label', { for: 'tpl-enabled', class: 'inline' }, '启用')),
        form.nodes,
        problemsBox,
        readOnly
          ? h('p', { class: 'meta' }, '只读账号不能修改模板')
          : h('button', { type: 'submit', id: 'tpl-save' }, '保存'),
      ),
      h(
        'div',
        {},
        h(
          'div',
          { class: 'card' },
          h('h3', {}, '预览（市民看到的样子）'),
          field('用真实来信预览（来信 ID）', letterId),
          previewBox,
        ),
        h(
          'div',
          { class: 'card' },
          h('h3', {}, '可用变量'),
          h('p', { class: 'meta' }, '点击插入到当前输入框'),
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
    h('div', { class: 'card' }, h('h3', {}, '版本'), current ? versionsBox : h('p', {}, '尚未保存过'), diffBox),
  );
  if (current) await refreshVersions();
  await check();
}
