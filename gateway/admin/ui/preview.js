// Shows a rendered template as the citizen would see it (an SMS, a WeChat text, a notification card), and a line
// comparison of two template versions.
import { h, mount } from './dom.js';
import { t } from './i18n.js';

export function renderPreview(box, p, channel) {
  if (!p) return mount(box, h('p', { class: 'meta' }, t('console.preview.fixErrorsFirst')));
  if (p.kind === 'sms') {
    return mount(
      box,
      h('div', { class: 'phone' }, h('div', { class: 'bubble', 'data-testid': 'sms-preview' }, p.text)),
      h('p', { class: 'meta' }, t('console.preview.smsLength', { chars: p.chars, segments: p.segments })),
    );
  }
  if (p.kind === 'text') {
    return mount(
      box,
      h('div', { class: 'phone' }, h('div', { class: 'bubble wechat' }, p.text)),
      h('p', { class: 'meta' }, t('console.preview.byteCount', { bytes: p.bytes })),
    );
  }
  return mount(
    box,
    h(
      'div',
      { class: 'phone' },
      h(
        'div',
        { class: 'bubble' },
        h(
          'strong',
          {},
          channel === 'wechat-mp' ? t('console.preview.subscribeMessage') : t('console.preview.serviceNotice'),
        ),
        h(
          'dl',
          {},
          p.fields.map((f) => [h('dt', { class: 'meta' }, f.label), h('dd', {}, f.value)]),
        ),
        p.link ? h('p', { class: 'meta' }, t('console.preview.openLink', { link: p.link })) : null,
      ),
    ),
    h('p', { class: 'meta' }, t('console.preview.templateId', { templateId: p.templateId })),
  );
}

/** Template content as `field path → text`, nested maps flattened (`params.serial`), lists joined. */
function flatten(value, prefix = '', out = new Map()) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(
      prefix,
      Array.isArray(value) ? value.join('，') : value === undefined || value === null ? '' : String(value),
    );
  }
  return out;
}

/** Words for comparison: placeholders whole, Latin words and numbers whole, every Chinese character on its own. */
const tokenize = (text) => text.match(/\{\{[^}]*\}\}|\$\{[^}]*\}|[A-Za-z0-9_.:/-]+|\s+|./gsu) ?? [];

/** A word-level diff (longest common subsequence): [{ op: '=', '-' or '+', text }]. */
export function diffWords(a, b) {
  const x = tokenize(a),
    y = tokenize(b);
  const n = x.length,
    m = y.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [];
  const push = (op, text) => (out.at(-1)?.op === op ? (out.at(-1).text += text) : out.push({ op, text }));
  let i = 0,
    j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      push('=', x[i]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) push('-', x[i++]);
    else push('+', y[j++]);
  }
  while (i < n) push('-', x[i++]);
  while (j < m) push('+', y[j++]);
  return out;
}

/**
 * Two template versions field by field: every field of either, its old and new text with the removed words struck
 * through and the added ones highlighted, changed fields first named as such. `fieldName` gives a field's label.
 */
export function diffFields(a, b, fieldName, oldTitle, newTitle) {
  const left = flatten(a ?? {}),
    right = flatten(b ?? {});
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  const rows = paths.map((p) => {
    const o = left.get(p),
      n = right.get(p);
    const state =
      o === undefined
        ? t('console.preview.added')
        : n === undefined
          ? t('console.preview.removed')
          : o === n
            ? t('console.preview.sameValue')
            : t('console.preview.changed');
    const parts = diffWords(o ?? '', n ?? '');
    return h(
      'tr',
      { class: state === t('console.preview.sameValue') ? 'same' : 'changed' },
      h('th', { scope: 'row' }, fieldName(p), h('br'), h('span', { class: 'meta' }, state)),
      h(
        'td',
        { class: 'diff-old' },
        parts.filter((x) => x.op !== '+').map((x) => (x.op === '-' ? h('del', {}, x.text) : x.text)),
      ),
      h(
        'td',
        { class: 'diff-new' },
        parts.filter((x) => x.op !== '-').map((x) => (x.op === '+' ? h('ins', {}, x.text) : x.text)),
      ),
    );
  });
  const changed = rows.filter((r) => r.classList.contains('changed')).length;
  return h(
    'div',
    {},
    h(
      'p',
      { role: 'status' },
      changed ? t('console.preview.fieldsChanged', { changed }) : t('console.preview.identical'),
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'diff' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('console.preview.fieldColumn')),
            h('th', { scope: 'col' }, oldTitle),
            h('th', { scope: 'col' }, newTitle),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
}
