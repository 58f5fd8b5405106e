// Labels of field paths and values of the change history (root jest, node environment).
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import { displayValue, explanationLines, formatChangeValue, pathLabel } from './labels';

test.each([
  ['members[0].idNumber', '家庭成员 1 · 身份证号', 'Member 1 · ID number'],
  ['members[2].education', '家庭成员 3 · 文化程度', 'Member 3 · Education'],
  ['expenses.education', '支出 · 教育支出', 'Expenses · Education costs'],
  ['income.wage', '本年收入 · 工资性收入', 'Income this year · Wages'],
  ['previousIncome.year', '上年收入 · 年份', 'Income last year · Year'],
  ['housing.structure', '住房 · 房屋结构', 'Housing · Structure'],
  ['shocks[0]', '突发事件 1', 'Shock 1'],
  ['address', '家庭住址', 'Address'],
  ['', '户信息', 'Household'],
  ['members[1].futureThing', '家庭成员 2 · futureThing', 'Member 2 · futureThing'],
  ['Idempotency-Key', 'Idempotency-Key', 'Idempotency-Key'],
])('%s reads %s / %s', (field, inZh, inEn) => {
  expect(pathLabel(field, zh.household.fields)).toBe(inZh);
  expect(pathLabel(field, en.household.fields)).toBe(inEn);
});

test('values read as officers say them: enums by field name, yes/no, nothing', () => {
  expect(displayValue('housing.structure', 'mud_brick', zh)).toBe('土坯房');
  expect(displayValue('members[0].education', 'senior_high', zh)).toBe('高中');
  expect(displayValue('expenses.education', 5000, zh)).toBe('5000');
  expect(displayValue('members[0].disabilityGrade', 2, zh)).toBe('二级');
  expect(displayValue('housing.onlyHome', true, zh)).toBe('是');
  expect(displayValue('housing.onlyHome', false, en)).toBe('No');
  expect(displayValue('povertyStatus', 'exited_poor', en)).toBe('Exited poverty');
  expect(displayValue('address', null, zh)).toBe('—');
  expect(displayValue('areaCode', '360731101201', zh)).toMatch(/^于都县.+乡.+村（360731101201）$/);
  expect(displayValue('areaCode', '999999999999', zh)).toBe('999999999999');
  expect(displayValue('members[1]', { name: '孙三', relation: 'child' }, zh)).toBe(
    '{"name":"孙三","relation":"child"}',
  );
});

test('history values are JSON text; absent means added or removed', () => {
  expect(formatChangeValue('housing.structure', '"brick_wood"', zh)).toBe('砖木结构');
  expect(formatChangeValue('income.wage', '12000.5', zh)).toBe('12000.5');
  expect(formatChangeValue('housing.onlyHome', undefined, zh)).toBe('—');
  expect(formatChangeValue('address', 'not json', zh)).toBe('not json');
});

test('explanation lines: a list as it is, a single text as one line, blank lines dropped', () => {
  expect(explanationLines(['人均纯收入4000元。', '', '具有典型特征：F6。'])).toEqual([
    '人均纯收入4000元。',
    '具有典型特征：F6。',
  ]);
  expect(explanationLines('人均纯收入4000元。')).toEqual(['人均纯收入4000元。']);
  expect(explanationLines(undefined)).toEqual([]);
});
