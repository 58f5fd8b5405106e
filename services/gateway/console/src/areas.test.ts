import { syntheticAreas } from '@shouwang/domain';
import { areaChain, areaName, areaPath, areaTree, type AreaOption } from './areas';

test('areas are named with their parents below the city', () => {
  const names = new Map(syntheticAreas().map((a) => [a.code, a.name]));
  expect(areaPath('3607')).toBe('赣州市');
  expect(areaPath('360731')).toBe('于都县');
  expect(areaPath('360731101')).toBe(`于都县${names.get('360731101')}`);
  expect(areaPath('360731101201')).toBe(`于都县${names.get('360731101')}${names.get('360731101201')}`);
  expect(areaName('360731101201')).toBe(names.get('360731101201'));
});

test('unknown codes have no name', () => {
  expect(areaName('999999')).toBeNull();
  expect(areaPath('360731999')).toBeNull();
  expect(areaPath('')).toBeNull();
});

const codes = (options: AreaOption[]): string[] => options.flatMap((o) => [o.value, ...codes(o.children ?? [])]);

test('the area tree is rooted at the user’s scope and holds exactly the areas within it', () => {
  const all = syntheticAreas();
  const village = areaTree('360731101201');
  expect(village).toEqual([{ value: '360731101201', label: areaName('360731101201') }]);

  const county = areaTree('360731');
  expect(county).toHaveLength(1);
  expect(county[0].label).toBe('于都县');
  expect(county[0].children?.map((c) => c.value)).toEqual(['360731101', '360731102', '360731103']);
  expect(codes(county).sort()).toEqual(
    all
      .filter((a) => a.code.startsWith('360731'))
      .map((a) => a.code)
      .sort(),
  );

  const city = areaTree('3607');
  expect(codes(city)).toHaveLength(all.length);
  expect(city[0].children).toHaveLength(18);
  expect(areaTree('999999')).toEqual([]);
});

test('the cascader value runs from the scope down to the area', () => {
  expect(areaChain('3607', '360731101201')).toEqual(['3607', '360731', '360731101', '360731101201']);
  expect(areaChain('360731', '360731101')).toEqual(['360731', '360731101']);
  expect(areaChain('360731101201', '360731101201')).toEqual(['360731101201']);
  expect(areaChain('360731', '360732101')).toEqual([]); // outside the scope
  expect(areaChain('360731', undefined)).toEqual([]);
});
