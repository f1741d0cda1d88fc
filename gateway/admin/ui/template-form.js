// The template editor's form: which inputs each sending route has, turning them into template content and back, and
// placing a validation problem beside the input it concerns.
import { h } from './dom.js';

const map = (name, label) => ({ name, label, kind: 'map' });
const input = (name, label, optional = false) => ({ name, label, kind: 'input', optional });
const text = (name, label) => ({ name, label, kind: 'text' });
const numbers = (name, label) => ({ name, label, kind: 'map', numbers: true, optional: true });
const list = (name, label) => ({ name, label, kind: 'input', list: true, optional: true });

export const shapes = {
  'sms/sms': [input('templateCode', '模板代码（如 SMS_123456789）'), input('signName', '短信签名（留空用网关默认签名）', true), map('params', '参数映射（每行：参数名=取值，取值可用 {{变量}}）'), numbers('maxChars', '模板允许更长的参数（每行：参数名=字符数，默认 35）'), list('cut', '超长时截断的参数（逗号分隔，如 summary）'), text('text', '审核通过的模板正文（用 ${参数名}，用于预览和计算长度）')],
  'wechat-oa/custom': [text('text', '客服消息正文')],
  'wechat-oa/template': [input('templateId', '模板 ID'), input('url', '跳转网址（https，可留空）', true), input('miniprogram.pagepath', '小程序页面（可留空）', true), map('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'), map('labels', '字段显示名称（每行：字段名=名称，仅用于预览）')],
  'wechat-oa/subscribe': [input('templateId', '模板 ID'), input('page', '跳转网址（https，可留空）', true), input('miniprogram.pagepath', '小程序页面（可留空）', true), map('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'), map('labels', '字段显示名称（每行：字段名=名称，仅用于预览）')],
  'wechat-mp/subscribe': [input('templateId', '模板 ID'), input('page', '小程序页面（如 pages/letter/index?id={{letterId}}）', true), map('data', '字段映射（每行：字段名=取值，如 thing2={{title}}）'), map('labels', '字段显示名称（每行：字段名=名称，仅用于预览）')],
};

const get = (obj, path) => path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);

/** Builds the inputs for `shape`, filled from `content`; `onChange` fires on every edit. */
export function buildForm(shape, content, onChange, readOnly) {
  const controls = {};
  const nodes = (shapes[shape] ?? []).map((d) => {
    const id = `tpl-${d.name.replace('.', '-')}`;
    const raw = get(content, d.name);
    const value = d.list && Array.isArray(raw) ? raw.join(', ') : raw;
    const control =
      d.kind === 'input'
        ? h('input', { id, name: d.name, value: value ?? '', readonly: readOnly })
        : h('textarea', { id, name: d.name, rows: d.kind === 'map' ? 4 : 5, readonly: readOnly }, d.kind === 'map' ? Object.entries(value ?? {}).map(([k, v]) => `${k}=${v}`).join('\n') : (value ?? ''));
    control.addEventListener('input', onChange);
    controls[d.name] = control;
    const err = h('div', { id: `${id}-err`, class: 'field-problems' });
    control.setAttribute('aria-describedby', err.id);
    return h('div', {}, h('label', { for: id }, d.label), control, err);
  });
  return { nodes, controls };
}

/** Reads the inputs back into template content (empty optional inputs are left out). */
export function readForm(shape, controls) {
  const content = {};
  for (const d of shapes[shape] ?? []) {
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
export function showProblems(shape, controls, problems) {
  const names = (shapes[shape] ?? []).map((d) => d.name).sort((a, b) => b.length - a.length);
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
    document.getElementById(`${control.id}-err`).append(h('ul', { class: 'problems' }, h('li', { class: p.severity }, `${p.severity === 'error' ? '错误' : '提醒'}：${p.message}`)));
  }
  return rest;
}

/** A content field's name for people: the input's label (without its hint), and the entry's key for map entries. */
export function fieldLabel(shape, path) {
  const defs = (shapes[shape] ?? []).slice().sort((a, b) => b.name.length - a.name.length);
  const d = defs.find((x) => path === x.name || path.startsWith(`${x.name}.`));
  if (!d) return path;
  const name = d.label.replace(/（.*$/, '');
  return path === d.name ? name : `${name}：${path.slice(d.name.length + 1)}`;
}
