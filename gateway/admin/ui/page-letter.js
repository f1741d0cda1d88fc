// One letter's whole story on one page: a header (serial, channel, mailbox, kind, topic, region, department, deadline
// with overdue marked, status, forwarding, publication), then everything that happened oldest first — the citizen's
// messages with photos, voice transcripts and location, the forwarding to the case store, status changes, every
// message sent back with its plan and attempts (errors explained), the survey and its answer — with the canonical
// letter only behind 技术详情. The extraction code never shows (the server blanks it) unless asked for, audited.
// Actions follow the role; every text comes from the catalogue (messages/page-letter.zh-CN.ts).
import { h, mount, toast, fmtTime, table, badge } from './dom.js';
import { api, can } from './api.js';
import { label, explainError, t } from './i18n.js';
import { askReason } from './dialog.js';

const mono = (v) => h('code', { class: 'mono' }, v);
const attachmentSrc = (url) => {
  const m = /\/attachments\/([A-Za-z0-9_-]+)/.exec(url ?? '');
  return m ? `/admin/api/attachments/${m[1]}` : null;
};
/** The text a source message carried, whatever the channel called the field. */
const sourceText = (p) => {
  if (!p || typeof p !== 'object') return null;
  for (const k of ['text', 'content', 'Content', 'body', 'Recognition', 'label'])
    if (typeof p[k] === 'string' && p[k].trim()) return p[k];
  return null;
};

export async function letterPage(main, id) {
  // Reloaded after an action without waiting: if staff have moved on (logged out, opened another page) by the time the
  // letter arrives, it must not replace the page they are on.
  const shownAt = location.hash;
  const l = await api('GET', `/letters/${id}`);
  if (location.hash !== shownAt) return;
  const letter = l.letter;
  const reload = () => letterPage(main, id);
  const revealed = h('p', { 'aria-live': 'polite', id: 'revealed' });
  const actions = [];
  const action = (attrs, text, run) => actions.push(h('button', { type: 'button', ...attrs, onclick: run }, text));
  if (can('operator') && (l.forwardState === 'rejected' || (l.forwardState === 'pending' && l.stuck))) {
    action({ id: 'retry-letter' }, t('console.letter.retry'), async () => {
      try {
        await api('POST', `/letters/${id}/retry`);
        toast(t('console.letter.retried'));
      } catch (x) {
        toast(t('console.letter.retryFailed', { message: x.message }));
      }
      reload();
    });
  }
  if (can('operator')) {
    action({ class: 'secondary', id: 'reveal-code' }, t('console.letter.revealCode'), async () => {
      const reason = await askReason(t('console.letter.revealCode'));
      if (!reason) return;
      try {
        const r = await api('POST', `/letters/${id}/reveal-code`, { reason });
        mount(revealed, t('console.letter.revealedCode'), mono(r.extractionCode), t('console.letter.audited'));
      } catch (x) {
        toast(t('console.letter.failed', { message: x.message }));
      }
    });
  }
  if (can('admin')) {
    action({ class: 'secondary', id: 'reveal-phone' }, t('console.letter.revealPhone'), async () => {
      const reason = await askReason(t('console.letter.revealPhone'));
      if (!reason) return;
      try {
        const r = await api('POST', `/letters/${id}/reveal-phone`, { reason });
        mount(
          revealed,
          t('console.letter.revealedPhone'),
          mono(r.phone ?? t('console.letter.noPhone')),
          t('console.letter.revealedUser'),
          mono(r.channelUserId),
          t('console.letter.audited'),
        );
      } catch (x) {
        toast(t('console.letter.failed', { message: x.message }));
      }
    });
  }
  // Publication on the public board (公开通报): only letters whose citizen agreed, approved or withdrawn by an admin
  // (publishing speaks for the city; the API allows no one else).
  const published = l.publication && !l.publication.withdrawnAt;
  if (can('admin') && letter.visibility === 'public') {
    if (!published) {
      action({ class: 'secondary', id: 'publish-letter' }, t('console.letter.publish'), async () => {
        const reason = await askReason(t('console.letter.publish'), t('console.letter.publishHint'));
        if (!reason) return;
        try {
          await api('POST', '/public-letters', { letterId: id, reason });
          toast(t('console.letter.publishedToast'));
          reload();
        } catch (x) {
          toast(t('console.letter.failed', { message: x.message }));
        }
      });
    } else {
      action({ class: 'secondary', id: 'withdraw-letter' }, t('console.letter.withdraw'), async () => {
        const reason = await askReason(t('console.letter.withdraw'), t('console.letter.withdrawHint'));
        if (!reason) return;
        try {
          await api('DELETE', `/public-letters/${id}`, { reason });
          toast(t('console.letter.withdrawnToast'));
          reload();
        } catch (x) {
          toast(t('console.letter.failed', { message: x.message }));
        }
      });
    }
  }

  const c = l.classification ?? {};
  const state = l.stuck
    ? badge(label('forwardState', 'stuck'), 'stuck')
    : badge(label('forwardState', l.forwardState), l.forwardState);
  const inferred = (x) => (x?.inferred ? h('span', { class: 'meta' }, t('console.letter.inferred')) : null);
  const region = c.region
    ? [
        c.region.countyName
          ? t('console.letter.regionIn', { name: c.region.name, county: c.region.countyName })
          : c.region.name,
        inferred(c.region),
      ]
    : (letter.region?.name ?? '—');
  const deadline = c.deadlineAt
    ? [
        h('time', { datetime: new Date(c.deadlineAt).toISOString() }, fmtTime(c.deadlineAt)),
        c.overdue ? ['　', badge(t('console.letter.overdue'), 'failed overdue')] : null,
        c.repliedAt ? t('console.letter.repliedOn', { at: fmtTime(c.repliedAt) }) : null,
      ]
    : '—';
  const publication = l.publication
    ? l.publication.withdrawnAt
      ? t('console.letter.withdrawn', { at: fmtTime(l.publication.withdrawnAt) })
      : t('console.letter.published', { at: fmtTime(l.publication.approvedAt), by: l.publication.approvedBy })
    : t('console.letter.notPublished');
  const f = (key, value) => [t(`console.letter.fact.${key}`), value, key];
  const facts = [
    f('serial', l.serial ? mono(l.serial) : t('console.letter.notAccepted')),
    f('status', badge(label('letterStatus', l.status), l.status)),
    f('forwarding', [state, l.forwardAttempts ? t('console.letter.attempts', { n: l.forwardAttempts }) : '']),
    f('channel', label('channel', l.channel)),
    letter.origin ? f('origin', label('origin', letter.origin)) : null,
    f('mailbox', letter.mailbox?.name ?? '—'),
    f('kind', label('kind', letter.kind)),
    letter.category ? f('category', letter.category) : null,
    f('topic', c.topic ? [c.topic.name, inferred(c.topic)] : '—'),
    f('region', region),
    f('department', c.department ?? '—'),
    f('deadline', deadline),
    f('citizen', [
      letter.citizen.anonymous ? t('console.letter.anonymous') : letter.citizen.name ? `${letter.citizen.name}　` : '',
      mono(letter.citizen.channelUserId),
    ]),
    f('receivedAt', fmtTime(l.receivedAt)),
    f('visibility', t(`console.letter.visibility.${letter.visibility === 'public' ? 'public' : 'private'}`)),
    letter.visibility === 'public' ? f('publication', publication) : null,
  ].filter(Boolean);

  mount(
    main,
    h('p', {}, h('a', { href: '#/letters' }, t('console.letter.back'))),
    h(
      'h2',
      {},
      t('console.letter.heading', { serial: l.serial ?? '' }),
      letter.title ? t('console.letter.headingTitle', { title: letter.title }) : '',
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'facts-title' },
      h('h3', { id: 'facts-title' }, t('console.letter.facts')),
      h(
        'dl',
        { class: 'facts' },
        facts.map(([k, v, key]) => h('div', { 'data-fact': key }, h('dt', {}, k), h('dd', {}, v))),
      ),
      l.lastForwardError ? h('p', {}, t('console.letter.lastForwardError'), l.lastForwardError) : null,
      l.rejectedReason ? h('p', {}, t('console.letter.rejectedReason'), l.rejectedReason) : null,
      actions.length ? h('div', { class: 'row actions' }, actions) : null,
      revealed,
    ),
    h(
      'section',
      { 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, t('console.letter.timeline')),
      h('ol', { class: 'timeline' }, timeline(l, reload)),
    ),
    h(
      'details',
      { class: 'card', id: 'technical' },
      h('summary', {}, t('console.letter.technical')),
      h(
        'p',
        {},
        t('console.letter.letterId'),
        mono(l.id),
        l.caseId ? [t('console.letter.caseId'), mono(l.caseId)] : null,
      ),
      h('pre', { tabindex: '0', 'aria-label': t('console.letter.canonical') }, JSON.stringify(letter, null, 2)),
      h('pre', { tabindex: '0', 'aria-label': t('console.letter.sources') }, JSON.stringify(l.sourceMessages, null, 2)),
    ),
  );
}

function timeline(l, reload) {
  const events = [];
  const at = (v) => new Date(v).getTime();
  for (const m of l.sourceMessages) {
    const text = sourceText(m.payload);
    events.push({
      at: m.received_at,
      title: t('console.letter.event.source', {
        type: label('sourceType', m.type, t('console.letter.event.sourceFallback')),
      }),
      body: text ? h('p', { class: 'quote' }, text) : null,
    });
  }
  events.push({
    at: l.letter.submittedAt ?? l.receivedAt,
    title: t('console.letter.event.content'),
    body: letterContent(l.letter),
    order: 1,
  });
  // Runs of retries (a case store down for an hour) read as one event with the attempts behind a toggle.
  const runs = [];
  for (const a of l.forwardLog) {
    const last = runs.at(-1);
    if (last && a.outcome === 'retry' && last[0].outcome === 'retry') last.push(a);
    else runs.push([a]);
  }
  const attemptText = (a) =>
    [
      a.http_status ? t('console.letter.event.http', { status: a.http_status }) : '',
      a.error ?? '',
      t('console.letter.event.duration', { ms: a.duration_ms }),
    ]
      .filter(Boolean)
      .join('　');
  for (const run of runs) {
    const a = run[0];
    if (run.length === 1) {
      events.push({
        at: a.at,
        title: t('console.letter.event.forward', { outcome: label('forwardOutcome', a.outcome) }),
        cls: a.outcome,
        body: h('p', { class: 'meta' }, attemptText(a)),
      });
      continue;
    }
    events.push({
      at: a.at,
      title: t('console.letter.event.forwardRun', {
        outcome: label('forwardOutcome', 'retry'),
        n: run.length,
        until: fmtTime(run.at(-1).at),
      }),
      cls: 'retry',
      body: h(
        'details',
        {},
        h('summary', {}, t('console.letter.event.attempts')),
        h(
          'ol',
          { class: 'meta' },
          run.map((x) => h('li', {}, `${fmtTime(x.at)}　${attemptText(x)}`)),
        ),
      ),
    });
  }
  for (const s of l.statusHistory) {
    events.push({
      at: s.at,
      title: t('console.letter.event.status', { status: label('letterStatus', s.status) }),
      body: s.note ? h('p', {}, s.note) : null,
      order: 2,
    });
  }
  for (const d of l.deliveries)
    events.push({
      at: d.createdAt,
      title: t('console.letter.event.delivery', { template: label('templateKey', d.templateKey) }),
      body: deliveryCard(d, reload),
      cls: d.status,
    });
  if (l.survey) {
    const s = l.survey;
    events.push({
      at: s.startedAt,
      title: t('console.letter.event.surveyStarted'),
      body: h(
        'p',
        {},
        t('console.letter.event.survey', {
          trigger: label('surveyTrigger', s.trigger),
          state: label('surveyState', s.state),
          expires: fmtTime(s.expiresAt),
        }),
      ),
    });
    if (s.answeredAt) {
      events.push({
        at: s.answeredAt,
        title: t('console.letter.event.surveyAnswer', { score: label('surveyScore', s.score) }),
        body: h(
          'div',
          {},
          s.reason ? h('p', { class: 'quote' }, s.reason) : null,
          s.reopenRequested ? h('p', {}, badge(t('console.letter.event.reopen'), 'failed')) : null,
          s.answerChannel
            ? h(
                'p',
                { class: 'meta' },
                t('console.letter.event.answeredVia', { channel: label('channel', s.answerChannel) }),
              )
            : null,
        ),
      });
    }
    if (s.expiredAt) events.push({ at: s.expiredAt, title: t('console.letter.event.surveyExpired') });
    if (s.withdrawnAt)
      events.push({
        at: s.withdrawnAt,
        title: t('console.letter.event.surveyWithdrawn'),
        body: s.withdrawReason
          ? h('p', {}, t('console.letter.event.withdrawReason', { reason: s.withdrawReason }))
          : null,
      });
  }
  events.sort((a, b) => at(a.at) - at(b.at) || (a.order ?? 0) - (b.order ?? 0));
  return events.map((e) =>
    h(
      'li',
      { class: `event ${e.cls ?? ''}` },
      h('p', { class: 'when' }, h('time', { datetime: new Date(e.at).toISOString() }, fmtTime(e.at))),
      h('h4', {}, e.title),
      e.body,
    ),
  );
}

function letterContent(letter) {
  const images = letter.attachments.filter((a) => a.kind === 'image' && !a.missing);
  const others = letter.attachments.filter((a) => a.kind !== 'image' || a.missing);
  const loc = letter.location;
  return h(
    'div',
    { class: 'letter-body' },
    letter.title ? h('p', {}, h('strong', {}, letter.title)) : null,
    h('p', { class: 'quote' }, letter.body),
    images.length
      ? h(
          'ul',
          { class: 'thumbs', 'aria-label': t('console.letter.photos') },
          images.map((a, i) => {
            const src = attachmentSrc(a.url);
            return h(
              'li',
              {},
              src
                ? h(
                    'a',
                    {
                      href: src,
                      target: '_blank',
                      rel: 'noopener',
                      'aria-label': t('console.letter.photoOpen', { n: i + 1 }),
                    },
                    h('img', { src, alt: t('console.letter.photo', { n: i + 1 }), loading: 'lazy' }),
                  )
                : t('console.letter.photo', { n: i + 1 }),
            );
          }),
        )
      : null,
    others.map((a) =>
      h(
        'p',
        {},
        `${label('attachmentKind', a.kind)}：`,
        a.missing
          ? t('console.letter.attachmentMissing', { reason: a.reason })
          : attachmentSrc(a.url)
            ? h('a', { href: attachmentSrc(a.url), target: '_blank', rel: 'noopener' }, t('console.letter.open'))
            : '',
        a.transcript ? h('span', {}, t('console.letter.transcript'), h('q', {}, a.transcript)) : null,
      ),
    ),
    loc
      ? h(
          'p',
          {},
          t('console.letter.location'),
          [loc.label, loc.address].filter(Boolean).join('，') || t('console.letter.noAddress'),
          t('console.letter.coordinates', { lat: loc.latitude, lng: loc.longitude }),
        )
      : null,
  );
}

/** A message sent back: what, its plan of routes, its status, every attempt with the error explained; resend if failed. */
export function deliveryCard(d, reload) {
  const step = (p) => `${label('channel', p.channel)}·${label('route', p.route)}`;
  return h(
    'div',
    { class: 'delivery' },
    h(
      'p',
      {},
      label('deliveryKind', d.kind),
      '　',
      badge(label('deliveryStatus', d.status), d.status),
      d.templateVersion ? t('console.letter.delivery.version', { version: d.templateVersion }) : '',
      d.sentAt ? t('console.letter.delivery.sentAt', { at: fmtTime(d.sentAt) }) : '',
    ),
    d.plan?.length
      ? h(
          'p',
          { class: 'meta' },
          t('console.letter.delivery.plan'),
          d.plan
            .map((p, i) => h('span', { class: i === d.planStep ? 'current-step' : '' }, `${i + 1}. ${step(p)}`))
            .flatMap((x, i) => (i ? ['　→　', x] : [x])),
        )
      : null,
    d.rendered ? renderedText(d.rendered) : null,
    d.attempts.length
      ? table(
          ['time', 'route', 'outcome', 'reason'].map((k) => t(`console.letter.delivery.col.${k}`)),
          d.attempts.map((a) =>
            h(
              'tr',
              {},
              h('td', {}, fmtTime(a.at)),
              h('td', {}, a.channel ? step(a) : label('route', a.route)),
              h('td', {}, badge(label('attemptOutcome', a.outcome), a.outcome)),
              h('td', {}, a.errorCode ? explainError(a.errorCode) : a.error ? '—' : ''),
            ),
          ),
        )
      : h('p', { class: 'meta' }, t('console.letter.delivery.notTried')),
    // A survey question taken back unsent (the survey was answered, expired or withdrawn) says so.
    d.status === 'failed' && d.lastError?.startsWith('survey_closed:')
      ? h('p', { class: 'meta' }, explainError('survey_closed'))
      : null,
    d.status === 'failed' && can('operator')
      ? h(
          'button',
          {
            type: 'button',
            class: 'resend',
            'aria-label': t('console.letter.delivery.resendLabel', { template: label('templateKey', d.templateKey) }),
            onclick: () => resend(d.id, reload),
          },
          t('console.letter.delivery.resend'),
        )
      : null,
  );
}

function renderedText(r) {
  if (typeof r.text === 'string' && r.params)
    return h(
      'p',
      { class: 'bubble' },
      r.text.replace(/\$\{([^}]*)\}/g, (_, k) => r.params[k] ?? ''),
    );
  if (typeof r.text === 'string') return h('p', { class: 'bubble' }, r.text);
  if (r.data && typeof r.data === 'object') {
    return h(
      'dl',
      { class: 'bubble' },
      Object.entries(r.data).map(([k, v]) => [
        h('dt', { class: 'meta' }, r.labels?.[k] ?? t('console.letter.delivery.field')),
        h('dd', {}, typeof v === 'object' && v ? v.value : String(v)),
      ]),
    );
  }
  return null;
}

export async function resend(id, reload) {
  try {
    await api('POST', `/deliveries/${id}/resend`);
    toast(t('console.letter.delivery.resent'));
    reload();
  } catch (x) {
    toast(t('console.letter.delivery.resendFailed', { message: x.message }));
  }
}
