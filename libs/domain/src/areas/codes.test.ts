import {
  CITY,
  COUNTIES,
  areaLevel,
  countyName,
  countyOf,
  isKnownCountyCode,
  isKnownCountyVillageCode,
  isWithin,
} from '.';

describe('counties (DOMAIN.md §1)', () => {
  it('lists exactly the 18 county-level codes and names of 赣州市', () => {
    expect(CITY).toEqual({ code: '3607', name: '赣州市' });
    expect(COUNTIES.map((c) => `${c.code} ${c.name}`)).toEqual([
      '360702 章贡区',
      '360703 南康区',
      '360704 赣县区',
      '360722 信丰县',
      '360723 大余县',
      '360724 上犹县',
      '360725 崇义县',
      '360726 安远县',
      '360728 定南县',
      '360729 全南县',
      '360730 宁都县',
      '360731 于都县',
      '360732 兴国县',
      '360733 会昌县',
      '360734 寻乌县',
      '360735 石城县',
      '360781 瑞金市',
      '360783 龙南市',
    ]);
  });

  it.each([
    ['360731', true, '于都县'],
    ['360783', true, '龙南市'],
    ['360727', false, null], // a gap in the numbering, not a county
    ['360701', false, null],
    ['3607', false, null],
  ])('isKnownCountyCode(%s) = %s, countyName = %s', (code, known, name) => {
    expect(isKnownCountyCode(code)).toBe(known);
    expect(countyName(code)).toBe(name);
  });

  it('cannot be modified by a caller', () => {
    expect(() => (COUNTIES as unknown as { code: string }[]).push({ code: '1' })).toThrow();
    expect(() => ((COUNTIES[0] as unknown as { name: string }).name = 'x')).toThrow();
  });
});

describe('areaLevel', () => {
  it.each([
    ['3607', 'city'],
    ['360731', 'county'],
    ['360731102', 'township'],
    ['360731102203', 'village'],
    ['', null],
    ['36', null],
    ['36073', null],
    ['3607311', null],
    ['36073110', null],
    ['3607311022', null],
    ['36073110220', null],
    ['3607311022030', null],
    ['36073a', null],
    ['３６０７', null], // full-width digits are not digits here
    [' 360731', null],
    ['-36073', null],
  ])('%j → %s', (code, level) => {
    expect(areaLevel(code)).toBe(level);
  });
});

describe('countyOf', () => {
  it.each([
    ['360731', '360731'],
    ['360731102', '360731'],
    ['360731102203', '360731'],
    ['360783101201', '360783'],
    ['3607', null],
    ['360799102203', null], // well-formed but not one of the 18
    ['36073110220', null],
    ['abc', null],
  ])('%s → %s', (code, county) => {
    expect(countyOf(code)).toBe(county);
  });
});

describe('isWithin (a scope sees its own area and everything below)', () => {
  it.each([
    ['3607', '3607', true],
    ['3607', '360731', true],
    ['3607', '360731102203', true],
    ['360731', '360731', true],
    ['360731', '360731102', true],
    ['360731', '360731102203', true],
    ['360731102', '360731102203', true],
    ['360731102203', '360731102203', true],
    // upwards and sideways are not visible
    ['360731', '3607', false],
    ['360731102203', '360731102', false],
    ['360731', '360732102203', false],
    ['360731102', '360731103201', false],
    ['360731102203', '360731102204', false],
    // malformed codes fail closed, even when one is a string prefix of the other
    ['', '360731', false],
    ['36', '360731', false],
    ['3607311', '360731102203', false],
    ['360731', '3607311', false],
    ['360731', '360731102203 ', false],
  ])('isWithin(%j, %j) = %s', (scope, code, expected) => {
    expect(isWithin(scope, code)).toBe(expected);
  });
});

describe('isKnownCountyVillageCode', () => {
  it.each([
    ['360731102203', true],
    ['360702999999', true], // shape only: existence is the registry's check
    ['360783101204', true],
    ['360799102203', false],
    ['350731102203', false],
    ['360731102', false],
    ['36073110220', false],
    ['3607311022030', false],
    ['36073110220X', false],
  ])('%s → %s', (code, expected) => {
    expect(isKnownCountyVillageCode(code)).toBe(expected);
  });
});
