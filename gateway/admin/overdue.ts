// Overdue as the KPIs count it (figures/facts.ts): not replied by the deadline — replied late, or still open with the
// deadline passed. Shown on a letter, in the list and in its export.
export function isOverdue(
  deadline: Date | string | null,
  replied: Date | string | null,
  now: number = Date.now(),
): boolean {
  if (!deadline) return false;
  const due = new Date(deadline).getTime();
  return replied ? new Date(replied).getTime() > due : due <= now;
}
