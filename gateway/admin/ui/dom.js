// A tiny DOM helper: h('tag', { attrs, on: handlers }, children…) builds elements; text is always set as text, never
// parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElementNS(
    tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml',
    tag,
  );
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'svg' || v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function s(tag, attrs = {}, ...children) {
  return h(tag, { ...attrs, svg: true }, ...children);
}

export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

export function toast(text) {
  const box = document.getElementById('toast');
  const item = h('div', {}, text);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

export function fmtTime(v) {
  if (!v) return '—';
  return new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function badge(value, cls = value) {
  return h('span', { class: `badge ${cls}` }, value);
}

/** A labelled input: returns [label, control] with the control's id tied to the label. */
let ids = 0;
export function field(labelText, control) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  return h('div', {}, h('label', { for: id }, labelText), control);
}

/** A table in a horizontally scrolling box (focusable, so keyboard users can scroll it); a header may be a ready <th>. */
export function table(headers, rows, attrs = {}) {
  const th = (x) => (x instanceof Element && x.tagName === 'TH' ? x : h('th', { scope: 'col' }, x));
  return h(
    'div',
    { class: 'scroll', tabindex: '0' },
    h('table', attrs, h('thead', {}, h('tr', {}, headers.map(th))), h('tbody', {}, rows)),
  );
}
