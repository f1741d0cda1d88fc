// Channel health: live or sandboxed, last inbound message, provider errors in the last hour, messages waiting, token.
import { h, mount, fmtTime, table, badge } from './dom.js';
import { api, labels } from './api.js';
import { t } from './i18n.js';

export async function channelsPage(main) {
  const r = await api('GET', '/channels');
  const status = {
    ok: t('console.channels.zhengChang'),
    sandbox: t('console.channels.shaXiang'),
    failing: t('console.channels.youCuoWu'),
  };
  mount(
    main,
    h('h2', {}, t('console.channels.quDaoZhuangTai')),
    h(
      'p',
      {},
      r.caseStore.sandbox
        ? badge(t('console.channels.anJianXiTong'), 'sandbox')
        : badge(t('console.channels.anJianXiTongYi'), 'ok'),
    ),
    table(
      [
        t('console.channels.quDao'),
        t('console.channels.zhuangTai'),
        t('console.channels.yiPeiZhi'),
        t('console.channels.zuiJinShouDao'),
        t('console.channels.jinXiaoShiFa'),
        t('console.channels.zuiJinCuoWu'),
        t('console.channels.daiFaSong'),
        t('console.channels.lingPai'),
      ],
      r.channels.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, labels.channel[c.channel] ?? c.channel),
          h('td', {}, badge(status[c.status], c.status)),
          h('td', {}, c.configured ? t('console.channels.shi') : t('console.channels.fouShaXiang')),
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
  if (token.ok) return t('console.channels.youXiaoZhi', { fmtTime: fmtTime(token.expiresAt) });
  return t('console.channels.yiChang', {
    problem:
      token.lastError ??
      (token.expiresAt
        ? t('console.channels.yiYuGuoQi', { fmtTime: fmtTime(token.expiresAt) })
        : t('console.channels.shangWeiHuoQu')),
  });
}
