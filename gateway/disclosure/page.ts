// The public page (公开通报): plain server-rendered HTML, no script, escaped throughout.
import type { PublicSnapshot } from './snapshot.js';
import type { PublicLetter } from '../../shared/mp-api.js';
import { say } from './messages.zh-CN.js';
import type { PublishedRow } from './suppress.js';

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | null) => (v === null ? say('public.hidden') : String(v));
const pct = (v: number | null) => (v === null ? say('public.hidden') : `${(v * 100).toFixed(1)}%`);
const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

function table(title: string, rows: { name: string; row: PublishedRow }[]): string {
  const cols = ['key', 'received', 'replied', 'closed', 'replyRate', 'satisfactionRate', 'overdueRate'] as const;
  const head = cols.map((c) => `<th>${esc(say(`public.col.${c}`))}</th>`).join('');
  const body = rows
    .map(
      ({ name, row }) =>
        `<tr><td>${esc(name)}</td><td>${num(row.counts.received)}</td><td>${num(row.counts.replied)}</td><td>${num(row.counts.closed)}</td><td>${pct(row.rates.replyRate)}</td><td>${pct(row.rates.satisfactionRate)}</td><td>${pct(row.rates.overdueRate)}</td></tr>`,
    )
    .join('');
  return `<h3>${esc(title)}</h3><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function publicPage(snap: PublicSnapshot | null, letters: PublicLetter[]): string {
  const periods = (snap?.periods ?? [])
    .map((p) => {
      const parts = (['department', 'mailbox'] as const).map((g) => {
        const t = p.tables[g];
        if (!t) return '';
        const rows = t.groups.map((row) => ({ name: t.labels[row.key] ?? row.key, row }));
        rows.push({ name: say('public.total'), row: t.total });
        return table(say(`public.${g}`), rows);
      });
      return `<section><h2>${esc(say('public.period', { period: p.period }))}</h2>${parts.join('')}</section>`;
    })
    .join('');
  const letterList =
    letters.length === 0
      ? `<p>${esc(say('public.letters.none'))}</p>`
      : letters
          .map(
            (l) =>
              `<article><h3>${esc(l.title ?? l.text.slice(0, 20))}</h3><p class="meta">${esc(l.serial ?? '')} · ${esc(l.mailbox)} · ${esc(local(l.receivedAt))}</p><p>${esc(l.text)}</p>${l.reply ? `<blockquote><strong>${esc(say('public.reply'))}：</strong>${esc(l.reply)}</blockquote>` : ''}</article>`,
          )
          .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(say('public.title'))}</title><style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%;margin-bottom:1em}th,td{border:1px solid #ccc;padding:.3em .5em;text-align:right}th:first-child,td:first-child{text-align:left}.meta{color:#666}blockquote{background:#f4f6f8;margin:0;padding:.5em 1em}</style></head>
<body><h1>${esc(say('public.title'))}</h1><p>${esc(say('public.intro', { threshold: snap?.threshold ?? 5 }))}</p>
${snap ? `<p>${esc(say('public.refreshed', { at: local(snap.refreshedAt) }))} · <a href="figures.csv">CSV</a> · <a href="figures.json">JSON</a></p>` : `<p>${esc(say('public.empty'))}</p>`}
${periods}<section><h2>${esc(say('public.letters'))}</h2>${letterList}</section></body></html>`;
}
