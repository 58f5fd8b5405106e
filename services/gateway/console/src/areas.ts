// Area names for display. The platform's area table is the domain library's synthetic one (the
// identification service seeds the same), so the console names areas without asking the server.
import { CITY, countyName, syntheticAreas } from '@shouwang/domain';

let byCode: Map<string, { name: string; parentCode: string | null }> | undefined;

/** The area's name, or null when the code is unknown. */
export function areaName(code: string): string | null {
  byCode ??= new Map(syntheticAreas().map((a) => [a.code, a]));
  if (code === CITY.code) return CITY.name;
  return byCode.get(code)?.name ?? (code.length === 6 ? countyName(code) : null);
}

/**
 * The area's name with its parents below the city, e.g. 于都县青山乡上坪村 for 360731101201; the city's
 * own name for 3607; null when the code is unknown.
 */
export function areaPath(code: string): string | null {
  if (code === CITY.code) return CITY.name;
  const parts: string[] = [];
  for (const len of [6, 9, 12]) {
    if (code.length < len) break;
    const name = areaName(code.slice(0, len));
    if (!name) return null;
    parts.push(name);
  }
  return parts.length ? parts.join('') : null;
}
