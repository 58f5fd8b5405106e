import {
  EDUCATION_LEVELS,
  HEALTH_STATES,
  HOUSING_STRUCTURES,
  LABOURS,
  POVERTY_STATUSES,
  RELATIONS,
  SAFETY_GRADES,
} from '../household/enums';

/**
 * The bulk-import spreadsheet (CSV or Excel): one row per member, the household's own columns filled
 * on its first row (later rows of the household may repeat or leave them empty). Rows of one household
 * share the 户号 (householdKey, any text unique within the file) and follow each other.
 * A header cell may be the Chinese title or the key; values of enumerations are the codes of DOMAIN.md §3.
 * Shocks (突发事件) are not columns: send them in JSON lines, which carry the whole canonical household.
 */
export type CellType = 'text' | 'number' | 'integer' | 'boolean' | 'date' | { enum: readonly string[] };

export interface Column {
  /** Path in the canonical household (DOMAIN.md §3) or in the member (level 'member'); householdKey groups rows. */
  key: string;
  zh: string;
  en: string;
  level: 'row' | 'household' | 'member';
  type: CellType;
  /** Shown in the template's notes sheet. */
  note?: string;
}

export const IMPORT_COLUMNS: readonly Column[] = [
  {
    key: 'householdKey',
    zh: '户号',
    en: 'Household key',
    level: 'row',
    type: 'text',
    note: '同一户的各成员行填相同户号且相邻',
  },
  {
    key: 'id',
    zh: '户编号',
    en: 'Household id',
    level: 'household',
    type: 'text',
    note: '更新已登记农户时填写系统户编号，新户留空',
  },
  { key: 'areaCode', zh: '村级区划代码', en: 'Village code', level: 'household', type: 'text' },
  { key: 'address', zh: '地址', en: 'Address', level: 'household', type: 'text' },
  { key: 'povertyStatus', zh: '贫困状态', en: 'Poverty status', level: 'household', type: { enum: POVERTY_STATUSES } },
  { key: 'nationalSystemId', zh: '国家系统编号', en: 'National system id', level: 'household', type: 'text' },
  { key: 'income.year', zh: '收入年度', en: 'Income year', level: 'household', type: 'integer' },
  { key: 'income.wage', zh: '工资性收入', en: 'Wage income', level: 'household', type: 'number' },
  { key: 'income.business', zh: '经营净收入', en: 'Net business income', level: 'household', type: 'number' },
  { key: 'income.property', zh: '财产性收入', en: 'Property income', level: 'household', type: 'number' },
  { key: 'income.transfer', zh: '转移性收入', en: 'Transfer income', level: 'household', type: 'number' },
  { key: 'previousIncome.year', zh: '上年收入年度', en: 'Previous income year', level: 'household', type: 'integer' },
  { key: 'previousIncome.wage', zh: '上年工资性收入', en: 'Previous wage income', level: 'household', type: 'number' },
  {
    key: 'previousIncome.business',
    zh: '上年经营净收入',
    en: 'Previous net business income',
    level: 'household',
    type: 'number',
  },
  {
    key: 'previousIncome.property',
    zh: '上年财产性收入',
    en: 'Previous property income',
    level: 'household',
    type: 'number',
  },
  {
    key: 'previousIncome.transfer',
    zh: '上年转移性收入',
    en: 'Previous transfer income',
    level: 'household',
    type: 'number',
  },
  {
    key: 'expenses.medicalSelfPaid',
    zh: '自付医疗费用',
    en: 'Self-paid medical costs',
    level: 'household',
    type: 'number',
  },
  { key: 'expenses.education', zh: '教育支出', en: 'Education costs', level: 'household', type: 'number' },
  {
    key: 'housing.structure',
    zh: '住房结构',
    en: 'Housing structure',
    level: 'household',
    type: { enum: HOUSING_STRUCTURES },
  },
  { key: 'housing.onlyHome', zh: '是否唯一住房', en: 'Only home', level: 'household', type: 'boolean' },
  {
    key: 'housing.safetyGrade',
    zh: '住房安全等级',
    en: 'Housing safety grade',
    level: 'household',
    type: { enum: SAFETY_GRADES },
  },
  { key: 'industry.covered', zh: '有产业覆盖', en: 'Industry covered', level: 'household', type: 'boolean' },
  {
    key: 'industry.failedDueToForceMajeure',
    zh: '因不可抗力产业失败',
    en: 'Industry failed (force majeure)',
    level: 'household',
    type: 'boolean',
  },
  { key: 'drinkingWaterSafe', zh: '饮水安全', en: 'Drinking water safe', level: 'household', type: 'boolean' },
  {
    key: 'medicalInsuranceEnrolled',
    zh: '参加医保',
    en: 'Medical insurance enrolled',
    level: 'household',
    type: 'boolean',
  },
  { key: 'specialHardship.flag', zh: '其他特殊困难', en: 'Special hardship', level: 'household', type: 'boolean' },
  {
    key: 'specialHardship.reason',
    zh: '特殊困难原因',
    en: 'Special hardship reason',
    level: 'household',
    type: 'text',
  },
  { key: 'assets.car', zh: '有小汽车', en: 'Owns a car', level: 'household', type: 'boolean' },
  {
    key: 'assets.commercialHousing',
    zh: '有商品房',
    en: 'Owns commercial housing',
    level: 'household',
    type: 'boolean',
  },
  { key: 'name', zh: '姓名', en: 'Name', level: 'member', type: 'text' },
  { key: 'idNumber', zh: '身份证号', en: 'ID number', level: 'member', type: 'text' },
  { key: 'relation', zh: '与户主关系', en: 'Relation to head', level: 'member', type: { enum: RELATIONS } },
  { key: 'birthDate', zh: '出生日期', en: 'Birth date', level: 'member', type: 'date' },
  { key: 'labour', zh: '劳动力状况', en: 'Labour', level: 'member', type: { enum: LABOURS } },
  { key: 'mainLabour', zh: '主要劳动力', en: 'Main labour', level: 'member', type: 'boolean' },
  { key: 'health', zh: '健康状况', en: 'Health', level: 'member', type: { enum: HEALTH_STATES } },
  { key: 'disabilityGrade', zh: '残疾等级', en: 'Disability grade', level: 'member', type: 'integer' },
  { key: 'education', zh: '文化程度', en: 'Education', level: 'member', type: { enum: EDUCATION_LEVELS } },
  { key: 'inSchool', zh: '在校生', en: 'In school', level: 'member', type: 'boolean' },
  { key: 'employed', zh: '就业', en: 'Employed', level: 'member', type: 'boolean' },
  { key: 'hasGuardian', zh: '有法定监护人', en: 'Has guardian', level: 'member', type: 'boolean' },
  { key: 'hasSupporter', zh: '有法定赡养人', en: 'Has supporter', level: 'member', type: 'boolean' },
];

/** Header cell (Chinese title or key, any case, surrounding spaces ignored) → column. */
export function columnFor(header: string): Column | undefined {
  const h = header.trim().replace(/^\uFEFF/, '');
  return IMPORT_COLUMNS.find((c) => c.zh === h || c.key.toLowerCase() === h.toLowerCase());
}

export function describeType(t: CellType): string {
  if (typeof t === 'object') return t.enum.join(' | ');
  return { text: '文本', number: '数字（元，最多两位小数）', integer: '整数', boolean: '是 / 否', date: 'YYYY-MM-DD' }[
    t
  ];
}
