// The template editor's form: the inputs of a sending route (described by its channel and served with the template),
// turning them into template content and back, and placing a validation problem beside the input it concerns.
import { h } from './dom.js';
import { t } from './i18n.js';

const get = (obj, path) => path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);

/** Builds the inputs `fields`, filled from `content`; `onChange` fires on every edit. */
export function buildForm(fields, content, onChange, readOnly) {
  const controls = {};
  const nodes = fields.map((d) => {
    const id = `tpl-${d.name.replace('.', '-')}`;
    const raw = get(content, d.name);
    const value = d.list && Array.isArray(raw) ? raw.join(', ') : raw;
    const control =
      d.kind === 'input'
        ? h('input', { id, name: d.name, value: value ?? '', readonly: readOnly })
        : h(
            'textarea',
            { id, name: d.name, rows: d.kind === 'map' ? 4 : 5, readonly: readOnly },
            d.kind === 'map'
              ? Object.entries(value ?? {})
                  .map(([k, v]) => `${k}=${v}`)
                  .join('\n')
              : (value ?? ''),
          );
    control.addEventListener('input', onChange);
    controls[d.name] = control;
    const err = h('div', { id: `${id}-err`, class: 'field-problems' });
    control.setAttribute('aria-describedby', err.id);
    return h('div', {}, h('label', { for: id }, d.label), control, err);
  });
  return { nodes, controls };
}

/** Reads the inputs back into template content (empty optional inputs are left out). */
export function readForm(fields, controls) {
  const content = {};
  for (const d of fields) {
    const raw = controls[d.name].value;
    let v;
    if (d.kind === 'map') {
      v = {};
      for (const line of raw.split('\n')) {
        const i = line.indexOf('=');
        if (line.trim() === '') continue;
        if (i < 0) v[line.trim()] = '';
        else v[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      if ((d.name === 'labels' || d.optional) && Object.keys(v).length === 0) continue;
      if (d.numbers) v = Object.fromEntries(Object.entries(v).map(([k, n]) => [k, Number(n)]));
    } else {
      v = d.list ? raw.split(/[,，\s]+/).filter(Boolean) : raw;
      if (d.optional && raw.trim() === '') continue;
    }
    const [a, b] = d.name.split('.');
    if (b) content[a] = { ...(content[a] ?? {}), [b]: v };
    else content[a] = v;
  }
  return content;
}

/** Marks each input with the problems whose field path starts with it; returns problems that matched none. */
export function showProblems(fields, controls, problems) {
  const names = fields.map((d) => d.name).sort((a, b) => b.length - a.length);
  const rest = [];
  for (const [name, control] of Object.entries(controls)) {
    control.removeAttribute('aria-invalid');
    document.getElementById(`${control.id}-err`)?.replaceChildren();
    void name;
  }
  for (const p of problems) {
    const path = p.field.replace(/^content\./, '');
    const name = names.find((n) => path === n || path.startsWith(`${n}.`));
    if (!name) {
      rest.push(p);
      continue;
    }
    const control = controls[name];
    if (p.severity === 'error') control.setAttribute('aria-invalid', 'true');
    document
      .getElementById(`${control.id}-err`)
      .append(
        h(
          'ul',
          { class: 'problems' },
          h(
            'li',
            { class: p.severity },
            `${p.severity === 'error' ? t('console.template-form.error') : t('console.template-form.warning')}：${p.message}`,
          ),
        ),
      );
  }
  return rest;
}

/** A content field's name for people: the input's label (without its hint), and the entry's key for map entries. */
export function fieldLabel(fields, path) {
  const defs = fields.slice().sort((a, b) => b.name.length - a.name.length);
  const d = defs.find((x) => path === x.name || path.startsWith(`${x.name}.`));
  if (!d) return path;
  const name = d.label.replace(/（.*$/, '');
  return path === d.name ? name : `${name}：${path.slice(d.name.length + 1)}`;
}
