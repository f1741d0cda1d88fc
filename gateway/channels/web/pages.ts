// The web mailbox's pages other than the letter form: the mailbox directory, phone verification, the confirmation
// before submitting, the letter's page (receipt, timeline, survey) and the citizen's list of letters.
import { kindLabels, type Letter } from '../../../shared/letter.js';
import type { MailboxNode, TimelineEntry } from '../../../shared/mp-api.js';
import type { MailboxEntry } from '../../mp/mailboxes.js';
import { formatShanghai } from '../../templates/variables.js';
import type { DraftContent } from './letter-form.js';
import {
  describedBy,
  errorSummary,
  fieldError,
  hidden,
  html,
  maskedPhone,
  type FieldErrors,
  type Html,
} from './html.js';
import { messages, t, type MessageKey } from './messages.zh-CN.js';

export function directoryBody(tree: MailboxNode[], q: string, results: MailboxEntry[] | null): Html {
  const writeLink = (id: string, name: string) =>
    html`<a href="/web/write?mailbox=${encodeURIComponent(id)}" aria-label="${t('web.dir.write', { name })}">${name}</a>`;
  const node = (n: MailboxNode): Html =>
    n.children && n.children.length > 0
      ? html`<li><details><summary>${n.name}</summary><ul><li>${writeLink(n.id, n.name)}</li>${n.children.map(node)}</ul></details></li>`
      : html`<li>${writeLink(n.id, n.name)}</li>`;
  return html`<section aria-labelledby="search-h"><h2 id="search-h">${t('web.dir.search')}</h2>
<form method="get" action="/web/" role="search"><div class="field"><label for="q">${t('web.dir.search')}</label>
<p class="hint" id="q-hint">${t('web.dir.searchHint')}</p><input id="q" name="q" type="search" maxlength="30" value="${q}" aria-describedby="q-hint"></div>
<button type="submit">${t('web.dir.searchButton')}</button></form>
${
  results === null
    ? ''
    : html`<h3 id="results">${t('web.dir.results')}</h3>${
        results.length === 0
          ? html`<p role="status">${t('web.dir.noResults', { q })}</p>`
          : html`<ul class="results" aria-labelledby="results">${results.map((r) => html`<li>${writeLink(r.id, r.name)} <span class="path">${r.path.join(' › ')}</span></li>`)}</ul>`
      }`
}
</section>
<section aria-labelledby="tree-h"><h2 id="tree-h">${t('web.dir.tree')}</h2>
${tree.length === 0 ? html`<p>${t('web.dir.empty')}</p>` : html`<ul class="tree">${tree.map(node)}</ul>`}</section>`;
}

/** Step 1 asks for the phone; step 2 (after the code was sent) for the code, the phone kept in the form. */
export function verifyBody(o: {
  csrf: string;
  next: string;
  phone: string;
  codeSent: boolean;
  errors: FieldErrors;
  intro: MessageKey;
  ttlMinutes: number;
}): Html {
  const phoneForm = html`<form method="post" action="/web/verify/send" novalidate>${hidden('_csrf', o.csrf)}${hidden('next', o.next)}
<div class="field"><label for="phone">${t('web.verify.phone')}</label>${fieldError('phone', o.errors)}
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="20" value="${o.phone}" required${describedBy('phone', o.errors, false)}></div>
<button type="submit"${o.codeSent ? html` class="secondary"` : ''}>${o.codeSent ? t('web.verify.resend') : t('web.verify.send')}</button></form>`;
  const codeForm = o.codeSent
    ? html`<p role="status">${t('web.verify.sent', { phone: maskedPhone(`+86${o.phone}`), min: o.ttlMinutes })}</p>
<form method="post" action="/web/verify" novalidate>${hidden('_csrf', o.csrf)}${hidden('next', o.next)}${hidden('phone', o.phone)}
<div class="field"><label for="code">${t('web.verify.code')}</label>${fieldError('code', o.errors)}
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required${describedBy('code', o.errors, false)}></div>
<button type="submit">${t('web.verify.submit')}</button></form>`
    : '';
  return html`${errorSummary(o.errors)}<p>${t(o.intro)}</p>${codeForm}${phoneForm}`;
}

export function confirmBody(draftId: string, d: DraftContent, mailbox: MailboxEntry, csrf: string): Html {
  return html`<p>${t('web.confirm.intro')}</p>
<dl class="summary">
<dt>${t('web.field.mailbox')}</dt><dd>${mailbox.path.join(' › ')}</dd>
<dt>${t('web.field.kind')}</dt><dd>${kindLabels[d.kind]}</dd>
${d.topic ? html`<dt>${t('web.field.topic')}</dt><dd>${d.topic.name}</dd>` : ''}
${d.region ? html`<dt>${t('web.field.region')}</dt><dd>${d.region.name}</dd>` : ''}
${d.title ? html`<dt>${t('web.field.title')}</dt><dd>${d.title}</dd>` : ''}
<dt>${t('web.field.body')}</dt><dd class="body">${d.body}</dd>
${d.photos.length > 0 ? html`<dt>${t('web.field.photos')}</dt><dd>${t('web.field.photosCount', { n: d.photos.length })}</dd>` : ''}
${d.address ? html`<dt>${t('web.field.address')}</dt><dd>${d.address}</dd>` : ''}
<dt>${t('web.field.visibility')}</dt><dd>${d.visibility === 'public' ? t('web.field.public') : t('web.field.private')}</dd>
</dl>
<form method="post" action="/web/drafts/${draftId}/submit">${hidden('_csrf', csrf)}<button type="submit">${t('web.confirm.submit')}</button></form>
<p><a href="/web/write?mailbox=${encodeURIComponent(mailbox.id)}">${t('web.confirm.edit')}</a></p>`;
}

export interface LetterView {
  id: string;
  status: string;
  serial: string | null;
  letter: Letter;
  timeline: TimelineEntry[];
  survey: { state: string; score: number | null } | null;
}

const statusLabel = (s: string) => {
  const key = `web.letter.status.${s}`;
  return key in messages ? t(key as MessageKey) : s;
};
const scoreLabel = (n: number) =>
  t(n === 1 ? 'web.survey.score1' : n === 2 ? 'web.survey.score2' : 'web.survey.score3');

export function letterBody(
  v: LetterView,
  o: { csrf: string; submitted: boolean; notice: string | null; errors: FieldErrors },
): Html {
  const l = v.letter;
  const receipt = html`<dl class="receipt">
<dt>${t('web.field.serial')}</dt><dd id="serial">${v.serial ?? t('web.receipt.serialPending')}</dd>
<dt>${t('web.field.extractionCode')}</dt><dd id="extraction-code">${l.extractionCode}</dd>
<dt>${t('web.field.status')}</dt><dd>${statusLabel(v.status)}</dd>
<dt>${t('web.field.receivedAt')}</dt><dd>${formatShanghai(l.receivedAt)}</dd>
</dl>`;
  const timeline = html`<section aria-labelledby="timeline-h"><h2 id="timeline-h">${t('web.letter.timeline')}</h2><ol class="timeline">${v.timeline.map(
    (e) =>
      html`<li><time datetime="${e.at}">${formatShanghai(e.at)}</time> ${
        e.type === 'received'
          ? t('web.letter.received')
          : e.type === 'accepted'
            ? t('web.letter.accepted', { serial: e.serial })
            : e.type === 'closed'
              ? t('web.letter.closed')
              : html`<strong>${t('web.letter.reply')}</strong><span class="body">${e.text}</span>`
      }</li>`,
  )}</ol></section>`;
  return html`${o.submitted ? html`<div class="notice" role="status"><h2>${t('web.receipt.title')}</h2><p>${t('web.receipt.saved')}</p></div>` : ''}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${receipt}
<section aria-labelledby="letter-h"><h2 id="letter-h">${l.title ?? kindLabels[l.kind]}</h2>
<dl class="summary"><dt>${t('web.field.mailbox')}</dt><dd>${l.mailbox.name}</dd><dt>${t('web.field.kind')}</dt><dd>${kindLabels[l.kind]}</dd>
<dt>${t('web.field.body')}</dt><dd class="body">${l.body}</dd>
${l.location?.address ? html`<dt>${t('web.field.address')}</dt><dd>${l.location.address}</dd>` : ''}
<dt>${t('web.field.visibility')}</dt><dd>${l.visibility === 'public' ? t('web.field.public') : t('web.field.private')}</dd></dl></section>
${timeline}
${surveyBody(v, o.csrf, o.errors)}`;
}

function surveyBody(v: LetterView, csrf: string, errors: FieldErrors): Html {
  const s = v.survey;
  if (!s) return html``;
  const head = html`<h2 id="survey-h">${t('web.survey.title')}</h2>`;
  if (s.state === 'answered' && s.score)
    return html`<section aria-labelledby="survey-h">${head}<p>${t('web.survey.answered', { score: scoreLabel(s.score) })}</p></section>`;
  if (s.state !== 'open')
    return html`<section aria-labelledby="survey-h">${head}<p>${t('web.survey.expired')}</p></section>`;
  return html`<section aria-labelledby="survey-h">${head}${errorSummary(errors)}
<form method="post" action="/web/letters/${v.id}/survey" novalidate>${hidden('_csrf', csrf)}
<fieldset id="score"${describedBy('score', errors, false)}><legend>${t('web.survey.question')}</legend>${fieldError('score', errors)}
${[1, 2, 3].map((n) => html`<label class="choice"><input type="radio" name="score" value="${n}" required> ${scoreLabel(n)}</label>`)}</fieldset>
<div class="field"><label for="reason">${t('web.survey.reason')}</label><p class="hint" id="reason-hint">${t('web.survey.reasonHint')}</p>${fieldError('reason', errors)}
<textarea id="reason" name="reason" rows="3" maxlength="500"${describedBy('reason', errors, true)}></textarea></div>
<button type="submit">${t('web.survey.submit')}</button></form></section>`;
}

export function listBody(rows: { id: string; serial: string | null; status: string; letter: Letter }[]): Html {
  if (rows.length === 0) return html`<p>${t('web.mine.none')}</p>`;
  return html`<ul class="letters">${rows.map(
    (r) => html`<li><a href="/web/letters/${r.id}">${r.letter.title ?? [...r.letter.body].slice(0, 20).join('')}</a>
<span>${kindLabels[r.letter.kind]} · ${r.letter.mailbox.name} · ${statusLabel(r.status)} · ${formatShanghai(r.letter.receivedAt)}${r.serial ? ` · ${r.serial}` : ''}</span></li>`,
  )}</ul>`;
}

export function errorBody(message: string): Html {
  return html`<p role="alert">${message}</p><p><a href="/web/">${t('web.err.back')}</a></p>`;
}
