// The topics and regions the write page offers, from GET /mp/classification. Kept on the phone for an hour (they
// change when staff save a new taxonomy, rarely); when the gateway cannot be reached an older copy still serves.
import { api } from './api';
import type { MpClassification } from '../shared/index';
import type { Draft } from './draft';

const CHOICES_KEY = 'mp.choices';
export const CHOICES_MAX_AGE_MS = 3600_000;

interface Saved {
  at: number;
  value: MpClassification;
}

/** The copy kept on the phone, whatever its age (the mailbox picker names a default region with it). */
export function keptChoices(): MpClassification | null {
  const saved = wx.getStorageSync<Saved | ''>(CHOICES_KEY);
  return saved ? saved.value : null;
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

/** A district/county or street of the city by its code, named as the picker names it; null outside the city's list. */
export function regionByCode(c: MpClassification, code: string): { code: string; name: string } | null {
  for (const r of c.regions) {
    if (r.code === code) return { code: r.code, name: r.name };
    const s = r.streets.find((x) => x.code === code);
    if (s) return { code: s.code, name: `${r.name}${s.name}` };
  }
  return null;
}

/**
 * The region an address names: the district/county written in it, and its street when that is written too; a street
 * alone counts only when one district has it (WeChat's addresses often leave the street out).
 */
export function regionOfAddress(c: MpClassification, address: string): { code: string; name: string } | null {
  const county = c.regions.find((r) => address.includes(r.name));
  if (county) {
    const after = address.slice(address.indexOf(county.name) + county.name.length);
    const street = county.streets.find((s) => after.includes(s.name));
    return street
      ? { code: street.code, name: `${county.name}${street.name}` }
      : { code: county.code, name: county.name };
  }
  const streets = c.regions.flatMap((r) =>
    r.streets.filter((s) => address.includes(s.name)).map((s) => ({ code: s.code, name: `${r.name}${s.name}` })),
  );
  return streets.length === 1 ? streets[0]! : null;
}

/**
 * The draft change that fills the region from the mailbox or the location. The citizen's own pick is never replaced;
 * a location replaces a mailbox's default (it says where the matter is), a mailbox only replaces its own. A mailbox
 * without a region of the list (a city-wide one), or a location naming none, takes back the default its kind gave.
 */
export function defaultRegion(
  d: Pick<Draft, 'region' | 'regionFrom'>,
  region: { code: string; name: string } | null,
  from: 'mailbox' | 'location',
): Pick<Draft, 'region' | 'regionFrom'> | null {
  const replaceable = d.region === null || d.regionFrom === 'mailbox' || (from === 'location' && d.regionFrom !== null);
  if (!replaceable) return null;
  if (region) return { region, regionFrom: from };
  return d.regionFrom === from ? { region: null, regionFrom: null } : null;
}
