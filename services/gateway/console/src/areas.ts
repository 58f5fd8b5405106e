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

export interface AreaOption {
  value: string;
  label: string;
  children?: AreaOption[];
}

/**
 * The areas a user with scope `scope` may choose, as one tree rooted at the scope itself (a village
 * cadre gets their village alone; the city administrator the city, its counties, townships and
 * villages). Empty when the scope is unknown.
 */
export function areaTree(scope: string): AreaOption[] {
  const areas = syntheticAreas();
  const children = new Map<string, AreaOption[]>();
  const options = new Map<string, AreaOption>();
  for (const a of areas) {
    if (!a.code.startsWith(scope)) continue; // parents come before children in the table
    const option: AreaOption = { value: a.code, label: a.name };
    options.set(a.code, option);
    if (a.parentCode && options.has(a.parentCode)) {
      const list = children.get(a.parentCode) ?? [];
      list.push(option);
      children.set(a.parentCode, list);
      options.get(a.parentCode)!.children = list;
    }
  }
  const root = options.get(scope);
  return root ? [root] : [];
}

/**
 * The codes from `scope` down to `code`, the value of a cascader rooted at the scope: for scope
 * 360731 and code 360731101201 → ['360731', '360731101', '360731101201']. Empty when `code` is not
 * within the scope or not a known area shape.
 */
export function areaChain(scope: string, code: string | undefined): string[] {
  if (!code || !code.startsWith(scope) || areaName(code) === null) return [];
  const chain: string[] = [];
  for (const len of [4, 6, 9, 12]) if (len >= scope.length && len <= code.length) chain.push(code.slice(0, len));
  return chain;
}
