// Early warning (综合预警): the alerts raised by the spike and cluster checks, newest first; operators acknowledge them.
import { h, mount, fmtTime, table, badge, toast } from './dom.js';
import { api, can } from './api.js';

const kinds = { spike: '激增', cluster: '同一事项' };
const wecom = { none: '—', pending: '待推送', sent: '已推送', failed: '推送失败' };

export async function alertsPage(main) {
  const r = await api('GET', '/alerts');
  const serial = (x) => (x.serial ? x.serial : '—');
  const row = (a) =>
    h(
      'tr',
      {},
      h('td', {}, fmtTime(a.raisedAt)),
      h('td', {}, badge(kinds[a.kind] ?? a.kind, a.kind)),
      h('td', {}, a.title),
      h('td', {}, `${a.letterCount} 件 / ${a.citizenCount} 人`),
      h('td', {}, `${serial(a.first)}（${fmtTime(a.first.at)}）`),
      h('td', {}, `${serial(a.last)}（${fmtTime(a.last.at)}）`),
      h('td', {}, a.wecom.error ? `${wecom[a.wecom.state]}：${a.wecom.error}` : wecom[a.wecom.state]),
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
                    toast('已确认');
                    await alertsPage(main);
                  },
                },
                '确认',
              )
            : '未确认',
      ),
    );
  mount(
    main,
    h('h2', {}, '综合预警'),
    r.alerts.length === 0
      ? h('p', {}, '暂无预警。')
      : table(['时间', '类型', '内容', '来信 / 市民', '首件', '末件', '企业微信', '确认'], r.alerts.map(row)),
  );
}
