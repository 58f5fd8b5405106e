import { syntheticAreas } from '@shouwang/domain';
import { areaName, areaPath } from './areas';

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
