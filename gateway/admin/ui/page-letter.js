// One letter's whole story on one page: a header (serial, channel, mailbox, kind, region, status, forwarding), then
// everything that happened oldest first — the citizen's messages with photos, voice transcripts and location, the
// forwarding to the case store, status changes, every message sent back with its plan and attempts (errors
// explained), the survey and its answer — with the canonical letter only behind 技术详情. Actions follow the role.
import { h, mount, toast, fmtTime, table, badge } from './dom.js';
import { api, can } from './api.js';
import { label, explainError } from './i18n.js';
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
  const l = await api('GET', `/letters/${id}`);
  const letter = l.letter;
  const reload = () => letterPage(main, id);
  const revealed = h('p', { 'aria-live': 'polite', id: 'revealed' });
  const actions = [];
  if (can('operator') && (l.forwardState === 'rejected' || (l.forwardState === 'pending' && l.stuck))) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          id: 'retry-letter',
          onclick: async () => {
            try {
              await api('POST', `/letters/${id}/retry`);
              toast('已重新排队转交');
            } catch (x) {
              toast(`重试失败：${x.message}`);
            }
            reload();
          },
        },
        '重试转交',
      ),
    );
  }
  if (can('operator')) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: async () => {
            const reason = await askReason('查看提取码');
            if (!reason) return;
            try {
              const r = await api('POST', `/letters/${id}/reveal-code`, { reason });
              mount(revealed, '提取码：', mono(r.extractionCode), '（已记入审计日志）');
            } catch (x) {
              toast(`失败：${x.message}`);
            }
          },
        },
        '查看提取码',
      ),
    );
  }
  if (can('admin')) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'reveal-phone',
          onclick: async () => {
            const reason = await askReason('查看完整手机号');
            if (!reason) return;
            try {
              const r = await api('POST', `/letters/${id}/reveal-phone`, { reason });
              mount(
                revealed,
                '手机号：',
                mono(r.phone ?? '（无）'),
                '，渠道用户：',
                mono(r.channelUserId),
                '（已记入审计日志）',
              );
            } catch (x) {
              toast(`失败：${x.message}`);
            }
          },
        },
        '查看完整手机号',
      ),
    );
  }

  const state = l.stuck
    ? badge('卡住（未能转交）', 'stuck')
    : badge(label('forwardState', l.forwardState), l.forwardState);
  const facts = [
    ['流水号', l.serial ? mono(l.serial) : '（尚未受理）'],
    ['状态', badge(label('letterStatus', l.status), l.status)],
    ['转交', [state, l.forwardAttempts ? `（尝试 ${l.forwardAttempts} 次）` : '']],
    ['渠道', label('channel', l.channel)],
    letter.origin ? ['来源', label('origin', letter.origin)] : null,
    ['信箱', letter.mailbox?.name ?? '—'],
    ['类型', label('kind', letter.kind)],
    ['分类', letter.category ?? '—'],
    ['地区', letter.region ? `${letter.region.name}（${letter.region.code}）` : '—'],
    [
      '来信人',
      [
        letter.citizen.anonymous ? '匿名　' : letter.citizen.name ? `${letter.citizen.name}　` : '',
        mono(letter.citizen.channelUserId),
      ],
    ],
    ['收到时间', fmtTime(l.receivedAt)],
    ['公开', letter.visibility === 'public' ? '同意公开' : '不公开'],
  ].filter(Boolean);

  mount(
    main,
    h('p', {}, h('a', { href: '#/letters' }, '← 返回来信列表')),
    h('h2', {}, `来信 ${l.serial ?? ''}`, letter.title ? `：${letter.title}` : ''),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'facts-title' },
      h('h3', { id: 'facts-title' }, '概况'),
      h(
        'dl',
        { class: 'facts' },
        facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
      ),
      l.lastForwardError ? h('p', {}, '最近一次转交错误：', l.lastForwardError) : null,
      l.rejectedReason ? h('p', {}, '拒收原因：', l.rejectedReason) : null,
      actions.length ? h('div', { class: 'row actions' }, actions) : null,
      revealed,
    ),
    h(
      'section',
      { 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, '经过（从早到晚）'),
      h('ol', { class: 'timeline' }, timeline(l, reload)),
    ),
    h(
      'details',
      { class: 'card' },
      h('summary', {}, '技术详情'),
      h('p', {}, '来信 ID：', mono(l.id), l.caseId ? ['　案件 ID：', mono(l.caseId)] : null),
      h('pre', { tabindex: '0', 'aria-label': '标准格式来信' }, JSON.stringify(letter, null, 2)),
      h('pre', { tabindex: '0', 'aria-label': '原始消息' }, JSON.stringify(l.sourceMessages, null, 2)),
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
      title: `市民发来${label('sourceType', m.type, '消息')}`,
      body: text ? h('p', { class: 'quote' }, text) : null,
    });
  }
  events.push({ at: l.letter.submittedAt ?? l.receivedAt, title: '来信内容', body: letterContent(l.letter), order: 1 });
  // Runs of retries (a case store down for an hour) read as one event with the attempts behind a toggle.
  const runs = [];
  for (const a of l.forwardLog) {
    const last = runs.at(-1);
    if (last && a.outcome === 'retry' && last[0].outcome === 'retry') last.push(a);
    else runs.push([a]);
  }
  const attemptText = (a) =>
    [a.http_status ? `HTTP ${a.http_status}` : '', a.error ?? '', `耗时 ${a.duration_ms} 毫秒`]
      .filter(Boolean)
      .join('　');
  for (const run of runs) {
    const a = run[0];
    if (run.length === 1) {
      events.push({
        at: a.at,
        title: `转交案件系统：${label('forwardOutcome', a.outcome)}`,
        cls: a.outcome,
        body: h('p', { class: 'meta' }, attemptText(a)),
      });
      continue;
    }
    events.push({
      at: a.at,
      title: `转交案件系统：${label('forwardOutcome', 'retry')}（连续 ${run.length} 次，至 ${fmtTime(run.at(-1).at)}）`,
      cls: 'retry',
      body: h(
        'details',
        {},
        h('summary', {}, '逐次记录'),
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
      title: `状态：${label('letterStatus', s.status)}`,
      body: s.note ? h('p', {}, s.note) : null,
      order: 2,
    });
  }
  for (const d of l.deliveries)
    events.push({
      at: d.createdAt,
      title: `发给市民：${label('templateKey', d.templateKey)}`,
      body: deliveryCard(d, reload),
      cls: d.status,
    });
  if (l.survey) {
    const s = l.survey;
    events.push({
      at: s.startedAt,
      title: '满意度调查开始',
      body: h(
        'p',
        {},
        `${label('surveyTrigger', s.trigger)}，${label('surveyState', s.state)}，截止 ${fmtTime(s.expiresAt)}`,
      ),
    });
    if (s.answeredAt) {
      events.push({
        at: s.answeredAt,
        title: `市民评价：${label('surveyScore', s.score)}`,
        body: h(
          'div',
          {},
          s.reason ? h('p', { class: 'quote' }, s.reason) : null,
          s.reopenRequested ? h('p', {}, badge('市民要求重新办理', 'failed')) : null,
          s.answerChannel ? h('p', { class: 'meta' }, `通过${label('channel', s.answerChannel)}回答`) : null,
        ),
      });
    }
    if (s.expiredAt) events.push({ at: s.expiredAt, title: '满意度调查已过期，未收到回答' });
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
          { class: 'thumbs', 'aria-label': '照片' },
          images.map((a, i) => {
            const src = attachmentSrc(a.url);
            return h(
              'li',
              {},
              src
                ? h(
                    'a',
                    { href: src, target: '_blank', rel: 'noopener', 'aria-label': `查看第 ${i + 1} 张照片原图` },
                    h('img', { src, alt: `第 ${i + 1} 张照片`, loading: 'lazy' }),
                  )
                : `第 ${i + 1} 张照片`,
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
          ? `未能取回（${a.reason}）`
          : attachmentSrc(a.url)
            ? h('a', { href: attachmentSrc(a.url), target: '_blank', rel: 'noopener' }, '打开')
            : '',
        a.transcript ? h('span', {}, '　语音转文字：', h('q', {}, a.transcript)) : null,
      ),
    ),
    loc
      ? h(
          'p',
          {},
          '位置：',
          [loc.label, loc.address].filter(Boolean).join('，') || '（无地址）',
          `（纬度 ${loc.latitude}，经度 ${loc.longitude}）`,
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
      d.templateVersion ? `　模板版本 v${d.templateVersion}` : '',
      d.sentAt ? `　发出于 ${fmtTime(d.sentAt)}` : '',
    ),
    d.plan?.length
      ? h(
          'p',
          { class: 'meta' },
          '发送计划：',
          d.plan
            .map((p, i) => h('span', { class: i === d.planStep ? 'current-step' : '' }, `${i + 1}. ${step(p)}`))
            .flatMap((x, i) => (i ? ['　→　', x] : [x])),
        )
      : null,
    d.rendered ? renderedText(d.rendered) : null,
    d.attempts.length
      ? table(
          ['时间', '方式', '结果', '原因'],
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
      : h('p', { class: 'meta' }, '尚未尝试发送'),
    d.status === 'failed' && can('operator')
      ? h(
          'button',
          {
            type: 'button',
            class: 'resend',
            'aria-label': `重发这条消息（${label('templateKey', d.templateKey)}）`,
            onclick: () => resend(d.id, reload),
          },
          '重发这条消息',
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
        h('dt', { class: 'meta' }, r.labels?.[k] ?? '字段'),
        h('dd', {}, typeof v === 'object' && v ? v.value : String(v)),
      ]),
    );
  }
  return null;
}

export async function resend(id, reload) {
  try {
    await api('POST', `/deliveries/${id}/resend`);
    toast('已重新发送');
    reload();
  } catch (x) {
    toast(`重发失败：${x.message}`);
  }
}
