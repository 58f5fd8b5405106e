import { areaLevel, type AreaLevel } from './codes';
import { CITY, COUNTIES } from './counties';

export interface Area {
  code: string;
  name: string;
  level: AreaLevel;
  /** null only for the city. */
  parentCode: string | null;
}

// Invented place names for demos and tests. Real township and village codes are not needed
// (DOMAIN.md §1 allows synthetic ones), and invented names make it obvious the data is not real.
const TOWNSHIP_STEMS: readonly string[] = [
  ...'青山 清溪 石桥 长岭 松林 桂花 白云 东坑 西岭 南塘 北坪 龙泉 凤岗 梅林'.split(' '),
  ...'竹园 杉木 枫树 柏坑 莲塘 荷田 杏坑 桃源 梨山 茶岭 樟树 榕湖 柳溪'.split(' '),
];
const VILLAGE_STEMS: readonly string[] =
  '上坪 下坪 新屋 老屋 田心 水口 岭背 坑口 塘下 湾里 洲头 坝上 垇下 圩背 寨下 岗上 围里 洞头 源头 陂下'.split(' ');

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length];
}

function build(): readonly Area[] {
  const areas: Area[] = [{ code: CITY.code, name: CITY.name, level: 'city', parentCode: null }];
  COUNTIES.forEach((county, c) => {
    areas.push({ code: county.code, name: county.name, level: 'county', parentCode: CITY.code });
    for (let t = 0; t < 3; t++) {
      const township = `${county.code}${101 + t}`;
      // Stems are distinct within a county (3 ≤ 27 consecutive), so names never repeat under one parent.
      areas.push({
        code: township,
        name: `${pick(TOWNSHIP_STEMS, c * 3 + t)}乡`,
        level: 'township',
        parentCode: county.code,
      });
      for (let v = 0; v < 4; v++) {
        const village = `${township}${201 + v}`;
        areas.push({
          code: village,
          name: `${pick(VILLAGE_STEMS, c + t * 4 + v)}村`,
          level: 'village',
          parentCode: township,
        });
      }
    }
  });
  for (const a of areas) if (areaLevel(a.code) !== a.level) throw new Error(`synthetic area ${a.code} is malformed`);
  return Object.freeze(areas.map((a) => Object.freeze(a)));
}

let table: readonly Area[] | undefined;

/**
 * The deterministic synthetic area table: the city, its 18 counties, 3 townships per county
 * (county + 101..103) and 4 villages per township (township + 201..204) — 289 areas in all,
 * parents before children. Returns fresh objects so callers may mutate their copy.
 */
export function syntheticAreas(): Area[] {
  table ??= build();
  return table.map((a) => ({ ...a }));
}
