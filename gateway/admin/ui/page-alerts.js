// Early warning (综合预警): the alerts raised by the spike and cluster checks, newest first; operators acknowledge them.
import { h, mount, fmtTime, table, badge, toast } from './dom.js';
import { api, can } from './api.js';
import { label, t } from './i18n.js';

const wecom = (state) => (state === 'none' ? '—' : label('console.alerts.wecom', state));

export async function alertsPage(main) {
  const r = await api('GET', '/alerts');
  const serial = (x) => (x.serial ? x.serial : '—');
  const row = (a) =>
    h(
      'tr',
      {},
      h('td', {}, fmtTime(a.raisedAt)),
      h('td', {}, badge(label('console.alerts.kind', a.kind), a.kind)),
      h('td', {}, a.title),
      h('td', {}, t('console.alerts.lettersAndCitizens', { letterCount: a.letterCount, citizenCount: a.citizenCount })),
      h('td', {}, `${serial(a.first)}（${fmtTime(a.first.at)}）`),
      h('td', {}, `${serial(a.last)}（${fmtTime(a.last.at)}）`),
      h('td', {}, a.wecom.error ? `${wecom(a.wecom.state)}：${a.wecom.error}` : wecom(a.wecom.state)),
      h(
        'td',
        {},
        a.acknowledgedAt
          ? `${a.acknowledgedBy}（${fmtTime(a.acknowledgedAt)}）`
          : can('operator')
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onclick: async () => {
                    await api('POST', `/alerts/${a.id}/acknowledge`);
                    toast(t('console.alerts.acknowledged'));
                    await alertsPage(main);
                  },
                },
                t('console.alerts.acknowledgeButton'),
              )
            : t('console.alerts.unacknowledged'),
      ),
    );
  mount(
    main,
    h('h2', {}, t('console.alerts.heading')),
    r.alerts.length === 0
      ? h('p', {}, t('console.alerts.none'))
      : table(
          [
            t('console.alerts.time'),
            t('console.alerts.kind'),
            t('console.alerts.content'),
            t('console.alerts.lettersCitizensColumn'),
            t('console.alerts.firstLetter'),
            t('console.alerts.lastLetter'),
            t('console.alerts.wecomLabel'),
            t('console.alerts.acknowledgeButton'),
          ],
          r.alerts.map(row),
        ),
  );
}
