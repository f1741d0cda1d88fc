// `YYYY-MM-DD` as staff and the case store give dates in queries. Date.parse alone is not enough: it takes 2026-02-30
// as 2 March, and PostgreSQL then refuses the text as it was given; nor does PostgreSQL know a year 0, which a period
// counted back from 0001-01-05 would reach. No letter predates 1900.

/** A real day of the calendar, years 1900 to 9999, written `YYYY-MM-DD`. */
export function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v < '1900') return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}
