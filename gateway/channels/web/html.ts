// Server-rendered HTML for the web mailbox: escaping, the page frame (landmarks, skip link, navigation) and the
// form pieces that tie every error message to its field, so screen readers announce them with the field.
import { t } from './messages.zh-CN.js';

/** Text made safe for HTML element content and attribute values. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A piece of HTML already escaped where needed. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated strings are escaped, Html pieces and arrays of them are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function part(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  if (typeof v === 'string') return esc(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return esc(String(v));
  return '';
}

export interface PageFrame {
  title: string;
  body: Html;
  /** The masked phone of the signed-in citizen, shown in the header. */
  phone?: string | null;
  csrf?: string;
  /** Seconds after which the page reloads itself (the receipt waiting for its serial). */
  refreshSeconds?: number;
}

export function page(f: PageFrame): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${f.csrf ? `<meta name="csrf-token" content="${esc(f.csrf)}">` : ''}
${f.refreshSeconds ? `<meta http-equiv="refresh" content="${f.refreshSeconds}">` : ''}
<title>${esc(f.title)} - ${esc(t('web.site'))}</title>
<link rel="stylesheet" href="/web/static/web.css">
</head>
<body>
<a class="skip" href="#main">${esc(t('web.skip'))}</a>
<header class="site">
<p class="site-name"><a href="/web/">${esc(t('web.site'))}</a></p>
<nav aria-label="${esc(t('web.nav.label'))}"><ul>
<li><a href="/web/">${esc(t('web.nav.home'))}</a></li>
<li><a href="/web/letters">${esc(t('web.nav.mine'))}</a></li>
${f.phone ? html`<li>${t('web.signedInAs', { phone: f.phone })}</li><li><form method="post" action="/web/logout" class="inline"><input type="hidden" name="_csrf" value="${f.csrf ?? ''}"><button type="submit" class="link">${t('web.nav.logout')}</button></form></li>`.value : ''}
</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>${esc(f.title)}</h1>
${f.body.value}
</main>
<footer class="site"><p>${esc(t('web.footer'))}</p></footer>
<script src="/web/static/web.js" defer></script>
</body>
</html>`;
}

export type FieldErrors = Partial<Record<string, string>>;

/** The list of problems at the top of a form, each linking to its field; focused by web.js when present. */
export function errorSummary(errors: FieldErrors): Html {
  const entries = Object.entries(errors).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${t('web.write.errorsTitle')}</h2><ul>${entries.map(
    ([field, message]) => html`<li><a href="#${field}">${message}</a></li>`,
  )}</ul></div>`;
}

/** aria attributes of a field: its hint and its error message, when any. */
export function describedBy(id: string, errors: FieldErrors, hint: boolean): Html {
  const ids = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return new Html(`${ids ? ` aria-describedby="${ids}"` : ''}${errors[id] ? ' aria-invalid="true"' : ''}`);
}

export function fieldError(id: string, errors: FieldErrors): Html {
  return errors[id] ? html`<p class="error" id="${id}-error">${errors[id]}</p>` : html``;
}

export function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** 138****0000: what is shown of a phone on a page. */
export function maskedPhone(e164: string): string {
  const local = e164.replace(/^\+86/, '');
  return local.length === 11 ? `${local.slice(0, 3)}****${local.slice(7)}` : local;
}
