// 月度分析汇报: the stored monthly reports, each downloadable as HTML (print it for a PDF) and Excel; operators
// generate (or regenerate) a month on demand.
import { h, mount, fmtTime, table, toast } from './dom.js';
import { api, can } from './api.js';

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
            toast('已生成');
            await reportsPage(main);
          },
        },
        h('label', {}, '月份 ', month),
        h('button', { type: 'submit' }, '生成报告'),
      )
    : null;
  const link = (m, f, text) =>
    h('a', { href: `/admin/api/reports/${m}/${f}`, target: '_blank', rel: 'noopener' }, text);
  mount(
    main,
    h('h2', {}, '月度分析汇报'),
    form,
    r.reports.length === 0
      ? h('p', {}, '暂无报告。')
      : table(
          ['月份', '生成时间', '生成人', '下载'],
          r.reports.map((x) =>
            h(
              'tr',
              {},
              h('td', {}, x.month),
              h('td', {}, fmtTime(x.generatedAt)),
              h('td', {}, x.generatedBy === 'system' ? '自动生成' : x.generatedBy),
              h('td', {}, link(x.month, 'html', '网页（可打印为 PDF）'), ' ', link(x.month, 'xlsx', 'Excel')),
            ),
          ),
        ),
  );
}
