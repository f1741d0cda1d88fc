// Channel health: live or sandboxed, last inbound message, provider errors in the last hour, messages waiting, token.
import { h, mount, fmtTime, table, badge } from './dom.js';
import { api, labels } from './api.js';
import { t } from './i18n.js';

export async function channelsPage(main) {
  const r = await api('GET', '/channels');
  const status = {
    ok: t('console.channels.ok'),
    sandbox: t('console.channels.sandbox'),
    failing: t('console.channels.failing'),
  };
  mount(
    main,
    h('h2', {}, t('console.channels.heading')),
    h(
      'p',
      {},
      r.caseStore.sandbox
        ? badge(t('console.channels.caseStoreSandbox'), 'sandbox')
        : badge(t('console.channels.caseStoreConfigured'), 'ok'),
    ),
    table(
      [
        t('console.channels.channel'),
        t('console.channels.status'),
        t('console.channels.configured'),
        t('console.channels.lastReceived'),
        t('console.channels.errorsLastHour'),
        t('console.channels.lastError'),
        t('console.channels.queued'),
        t('console.channels.token'),
      ],
      r.channels.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, labels.channel[c.channel] ?? c.channel),
          h('td', {}, badge(status[c.status], c.status)),
          h('td', {}, c.configured ? t('console.channels.yes') : t('console.channels.noSandbox')),
          h('td', {}, fmtTime(c.lastInboundAt)),
          h('td', {}, String(c.providerErrorsLastHour)),
          h('td', {}, c.lastProviderError ? `${c.lastProviderError}（${fmtTime(c.lastProviderErrorAt)}）` : '—'),
          h('td', {}, String(c.waitingDeliveries)),
          h('td', {}, tokenText(c.token)),
        ),
      ),
    ),
  );
}

function tokenText(token) {
  if (!token) return '—';
  if (token.ok) return t('console.channels.tokenValidUntil', { fmtTime: fmtTime(token.expiresAt) });
  return t('console.channels.tokenError', {
    problem:
      token.lastError ??
      (token.expiresAt
        ? t('console.channels.tokenExpired', { fmtTime: fmtTime(token.expiresAt) })
        : t('console.channels.tokenMissing')),
  });
}
