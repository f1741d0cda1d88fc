// 月度分析汇报: the stored monthly reports, each downloadable as HTML (print it for a PDF) and Excel; operators
// generate (or regenerate) a month on demand.
import { h, mount, fmtTime, table, toast } from './dom.js';
import { api, can } from './api.js';
import { t } from './i18n.js';

export async function reportsPage(main) {
  const r = await api('GET', '/reports');
  const month = h('input', { type: 'month', required: true });
  const form = can('operator')
    ? h(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            await api('POST', '/reports', { month: month.value });
            toast(t('console.reports.generated'));
            await reportsPage(main);
          },
        },
        h('label', {}, t('console.reports.monthLabel'), month),
        h('button', { type: 'submit' }, t('console.reports.generate')),
      )
    : null;
  const link = (m, f, text) =>
    h('a', { href: `/admin/api/reports/${m}/${f}`, target: '_blank', rel: 'noopener' }, text);
  mount(
    main,
    h('h2', {}, t('console.reports.heading')),
    form,
    r.reports.length === 0
      ? h('p', {}, t('console.reports.none'))
      : table(
          [
            t('console.reports.month'),
            t('console.reports.generatedAt'),
            t('console.reports.generatedBy'),
            t('console.reports.download'),
          ],
          r.reports.map((x) =>
            h(
              'tr',
              {},
              h('td', {}, x.month),
              h('td', {}, fmtTime(x.generatedAt)),
              h('td', {}, x.generatedBy === 'system' ? t('console.reports.automatic') : x.generatedBy),
              h(
                'td',
                {},
                link(x.month, 'html', t('console.reports.htmlPrintable')),
                ' ',
                link(x.month, 'xlsx', 'Excel'),
              ),
            ),
          ),
        ),
  );
}
