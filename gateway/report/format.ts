// How the report writes its numbers: rates as percentages with one decimal, and the change of a rate against the
// previous month in 百分点 taken from the two printed percentages (so the reader can check it by subtracting).
import { say } from './messages.zh-CN.js';

/** A 0–1 rate in tenths of a percent (integer), so differences stay exact. */
const permille = (rate: number) => Math.round(rate * 1000);

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(permille(rate) / 10).toFixed(1)}%`;
}

/** "较上月提高0.2个百分点", "较上月下降1.5个百分点", "与上月持平". */
export function pointChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return say('report.change.none');
  const d = permille(current) - permille(previous);
  if (d === 0) return say('report.change.same');
  return say(d > 0 ? 'report.change.up' : 'report.change.down', { n: (Math.abs(d) / 10).toFixed(1) });
}

export function countChange(current: number, previous: number): string {
  if (previous === 0) return say('report.change.none');
  const d = Math.round(((current - previous) / previous) * 1000);
  if (d === 0) return say('report.change.same');
  return say(d > 0 ? 'report.change.countUp' : 'report.change.countDown', { n: (Math.abs(d) / 10).toFixed(1) });
}

export function daysChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return say('report.change.none');
  const d = Math.round((current - previous) * 10);
  if (d === 0) return say('report.change.same');
  return say(d > 0 ? 'report.change.daysUp' : 'report.change.daysDown', { n: (Math.abs(d) / 10).toFixed(1) });
}

export function days(v: number | null): string {
  return v === null ? '—' : v.toFixed(1);
}

export function monthLabel(month: string): string {
  return say('report.month', { year: month.slice(0, 4), m: Number(month.slice(5, 7)) });
}
