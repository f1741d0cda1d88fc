// The report's charts, drawn on the server by Apache ECharts' SVG renderer (no browser, no canvas): each answers one
// self-contained <svg> string to put into the HTML page as it is.
import type { EChartsOption } from 'echarts';
import type { ReportFigures } from './figures.js';
import { say } from './messages.zh-CN.js';
import { monthLabel } from './format.js';

const font = { fontFamily: 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif' };

// ECharts is loaded on first use: it is a large library that only the monthly report needs, and importing it at
// start-up costs every process seconds of CPU.
type ECharts = typeof import('echarts');
let echarts: ECharts | undefined;

function render(option: EChartsOption, width = 640, height = 320): string {
  if (!echarts) throw new Error('reportCharts loads ECharts first');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: font, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function bar(title: string, items: { label: string; count: number }[]): string {
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 60, right: 20, top: 40, bottom: 70 },
    xAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        name: say('report.chart.received'),
        data: items.map((i) => i.count),
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- ECharts' typings flag `label` through an old alias; it is the documented series option
        label: { show: true, position: 'top' },
      },
    ],
  });
}

function pie(title: string, items: { label: string; count: number }[]): string {
  return render(
    {
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      series: [
        {
          type: 'pie',
          radius: ['0%', '60%'],
          center: ['50%', '55%'],
          data: items.map((i) => ({ name: i.label, value: i.count })),
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above
          label: { formatter: '{b}：{d}%' },
        },
      ],
    },
    480,
    320,
  );
}

function trendLine(f: ReportFigures): string {
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const series = (['replyRate', 'resolutionRate', 'satisfactionRate', 'overdueRate'] as const).map((k) => ({
    type: 'line' as const,
    name: say(`report.kpi.${k}`),
    data: f.trend.map((t) => pct(t.figures[k])),
    connectNulls: false,
  }));
  return render({
    title: { text: say('report.chart.trend'), left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 50 },
    xAxis: { type: 'category', data: f.trend.map((t) => monthLabel(t.month)) },
    yAxis: { type: 'value', max: 100 },
    series,
  });
}

/** The charts in the order the report shows them, keyed by where they go. */
export async function reportCharts(f: ReportFigures): Promise<{
  trend: string;
  kind: string;
  topic: string;
  region: string;
  channel: string;
}> {
  echarts ??= await import('echarts');
  const items = (g: keyof ReportFigures['groups']) => f.groups[g].map((x) => ({ label: x.label, count: x.count }));
  return {
    trend: trendLine(f),
    kind: pie(say('report.chart.kind'), items('kind')),
    topic: bar(say('report.chart.topic'), items('topic')),
    region: bar(say('report.chart.region'), items('region')),
    channel: pie(say('report.chart.channel'), items('channel')),
  };
}
