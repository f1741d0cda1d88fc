// The topics and regions the write page offers, from GET /mp/classification. Kept on the phone for an hour (they
// change when staff save a new taxonomy, rarely); when the gateway cannot be reached an older copy still serves.
import { api } from './api';
import type { MpClassification } from '../shared/index';

const CHOICES_KEY = 'mp.choices';
export const CHOICES_MAX_AGE_MS = 3600_000;

interface Saved {
  at: number;
  value: MpClassification;
}

export async function loadChoices(): Promise<MpClassification> {
  const saved = wx.getStorageSync<Saved | ''>(CHOICES_KEY);
  if (saved && Date.now() - saved.at < CHOICES_MAX_AGE_MS) return saved.value;
  try {
    const value = await api<MpClassification>('GET', '/mp/classification');
    wx.setStorageSync(CHOICES_KEY, { at: Date.now(), value } satisfies Saved);
    return value;
  } catch (err) {
    if (saved) return saved.value;
    throw err;
  }
}

/** After the gateway refused a chosen code (staff changed the taxonomy): the next load asks again. */
export function forgetChoices(): void {
  wx.removeStorageSync(CHOICES_KEY);
}

/** The picker's two columns: districts/counties, and the chosen one's streets after a "whole county" entry. */
export function regionColumns(c: MpClassification, county: number, whole: string): [string[], string[]] {
  return [c.regions.map((r) => r.name), [whole, ...(c.regions[county]?.streets ?? []).map((s) => s.name)]];
}

/** The region a picker position means: the county itself for the first street entry. */
export function regionAt(c: MpClassification, [county, street]: number[]): { code: string; name: string } | null {
  const r = c.regions[county ?? -1];
  if (!r) return null;
  const s = street ? r.streets[street - 1] : undefined;
  return s ? { code: s.code, name: `${r.name}${s.name}` } : { code: r.code, name: r.name };
}
