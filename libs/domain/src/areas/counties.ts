/** The prefecture-level city the platform serves (DOMAIN.md §1). */
export const CITY = { code: '3607', name: '赣州市' } as const;

/** The 18 county-level divisions of 赣州市 (DOMAIN.md §1), in code order. Codes are stable identifiers. */
export const COUNTIES: readonly { readonly code: string; readonly name: string }[] = Object.freeze(
  [
    { code: '360702', name: '章贡区' },
    { code: '360703', name: '南康区' },
    { code: '360704', name: '赣县区' },
    { code: '360722', name: '信丰县' },
    { code: '360723', name: '大余县' },
    { code: '360724', name: '上犹县' },
    { code: '360725', name: '崇义县' },
    { code: '360726', name: '安远县' },
    { code: '360728', name: '定南县' },
    { code: '360729', name: '全南县' },
    { code: '360730', name: '宁都县' },
    { code: '360731', name: '于都县' },
    { code: '360732', name: '兴国县' },
    { code: '360733', name: '会昌县' },
    { code: '360734', name: '寻乌县' },
    { code: '360735', name: '石城县' },
    { code: '360781', name: '瑞金市' },
    { code: '360783', name: '龙南市' },
  ].map((c) => Object.freeze(c)),
);

const countyNames: ReadonlyMap<string, string> = new Map(COUNTIES.map((c) => [c.code, c.name]));

/** True for exactly the 18 county codes above. */
export function isKnownCountyCode(code: string): boolean {
  return countyNames.has(code);
}

/** The Chinese name of one of the 18 counties, or null for any other code. */
export function countyName(code: string): string | null {
  return countyNames.get(code) ?? null;
}
