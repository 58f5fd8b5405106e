import { MAX_AMOUNT_YUAN } from './money';

/** One problem with one field of a submitted household. Never carries the field's value. */
export interface FieldIssue {
  /** Path such as `members[0].idNumber`; '' for the household itself. */
  field: string;
  /** Stable machine code, one of ISSUE_CODES. */
  code: IssueCode;
  /** English, for logs and developers. */
  message: string;
  /** Chinese, for officers. */
  messageZh: string;
}

// Messages are built only from the code and the field's name, never from the submitted value, so
// no ID number (or any other personal data) can leak into an error, a log line or a response.
const CATALOGUE = {
  invalid_type: ['has the wrong type', '类型不正确'],
  required: ['is required', '为必填项'],
  unknown_field: ['is not a field of the household model (check the spelling)', '不是一户一表中的字段（请检查拼写）'],
  invalid_enum: ['is not one of the allowed values', '不是允许的取值'],
  empty: ['must not be empty', '不能为空'],
  too_long: ['is too long', '过长'],
  not_a_village_code: [
    'must be a 12-digit village code under one of the 18 counties of Ganzhou',
    '必须是赣州市18个县（市、区）下的12位村级区划代码',
  ],
  invalid_id_number: ['must be 17 digits followed by a digit or X', '必须是17位数字加1位数字或X'],
  invalid_id_checksum: ['has a wrong check character', '校验位错误'],
  invalid_id_birth_date: ['contains an impossible birth date', '中的出生日期无效'],
  duplicate_id_number: ['repeats the ID number of another member of the household', '与本户其他成员的身份证号重复'],
  id_number_or_birth_date_required: ['or the birth date is required', '与出生日期至少填写一项'],
  invalid_date: ['must be a real date written YYYY-MM-DD', '必须是有效日期，格式为YYYY-MM-DD'],
  date_in_future: ['must not be later than the as-of date', '不能晚于核查日期'],
  date_too_early: ['must not be earlier than 1900-01-01', '不能早于1900-01-01'],
  birth_date_mismatch: ['does not agree with the birth date in the ID number', '与身份证号中的出生日期不一致'],
  no_members: ['must list at least one member', '至少需要一名家庭成员'],
  too_many_members: ['must list at most 50 members', '家庭成员不能超过50人'],
  missing_head: ['must include exactly one member with relation head', '必须有且只有一名户主'],
  multiple_heads: ['is head, but the household already has a head', '为户主，但本户已有户主'],
  negative_amount: ['must not be negative', '不能为负数'],
  too_many_decimals: ['must have at most 2 decimals (yuan and fen)', '最多保留两位小数（元、角、分）'],
  amount_too_large: [`must not exceed ${MAX_AMOUNT_YUAN} yuan in absolute value`, `绝对值不能超过${MAX_AMOUNT_YUAN}元`],
  invalid_year: ['must be a whole year from 2000 to 2100', '必须是2000至2100之间的整数年份'],
  previous_year_mismatch: ['must be the year before income.year', '必须是本年收入年份的上一年'],
  out_of_range: ['is out of range', '超出允许范围'],
  disability_grade_without_disability: ['is only allowed when health is disabled', '仅在健康状况为残疾时填写'],
  reason_required: ['is required when the special-hardship flag is set', '标记特殊困难时必须填写原因'],
} as const satisfies Record<string, readonly [string, string]>;

export type IssueCode = keyof typeof CATALOGUE;

/** Every code validateHousehold can return. Codes are stable: add, never rename. */
export const ISSUE_CODES = Object.freeze(Object.keys(CATALOGUE) as IssueCode[]);

export type PathSegment = string | number;

/** `['members', 0, 'idNumber']` → `members[0].idNumber`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const LABELS_ZH: Readonly<Record<string, string>> = {
  id: '户编号',
  areaCode: '行政区划代码',
  address: '家庭住址',
  povertyStatus: '贫困状态',
  nationalSystemId: '全国系统编号',
  members: '家庭成员',
  name: '姓名',
  idNumber: '身份证号',
  relation: '与户主关系',
  birthDate: '出生日期',
  labour: '劳动能力',
  mainLabour: '主要劳动力',
  health: '健康状况',
  disabilityGrade: '残疾等级',
  education: '文化程度',
  inSchool: '在校生',
  employed: '就业',
  hasGuardian: '有法定监护人',
  hasSupporter: '有法定赡养人',
  income: '本年收入',
  previousIncome: '上年收入',
  year: '年份',
  wage: '工资性收入',
  business: '经营净收入',
  property: '财产性收入',
  transfer: '转移性收入',
  expenses: '支出',
  medicalSelfPaid: '医疗自付费用',
  housing: '住房',
  structure: '房屋结构',
  onlyHome: '唯一住房',
  safetyGrade: '安全等级',
  industry: '产业',
  covered: '产业覆盖',
  failedDueToForceMajeure: '因不可抗因素产业失败',
  shocks: '突发事件',
  type: '类型',
  date: '日期',
  mainLabourLostOrDisabled: '主劳力丧失或致残',
  expense: '支出金额',
  incomeDropRatio: '收入下降比例',
  drinkingWaterSafe: '饮水安全',
  medicalInsuranceEnrolled: '参加医疗保险',
  specialHardship: '特殊困难',
  flag: '标记',
  reason: '原因',
  assets: '资产',
  car: '小轿车',
  commercialHousing: '商品房',
};

/** `['members', 0, 'idNumber']` → `第1名家庭成员的身份证号`, readable for officers. */
function labelZh(path: readonly PathSegment[]): string {
  if (path.length === 0) return '户信息';
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const next = path[i + 1];
    if (typeof next === 'number') {
      parts.push(`第${next + 1}${seg === 'members' ? '名' : '条'}${LABELS_ZH[String(seg)] ?? String(seg)}`);
      i++;
    } else {
      parts.push(LABELS_ZH[String(seg)] ?? String(seg));
    }
  }
  return parts.join('的');
}

export function makeIssue(path: readonly PathSegment[], code: IssueCode): FieldIssue {
  const field = formatPath(path);
  const [en, zh] = CATALOGUE[code];
  return {
    field,
    code,
    message: path.length === 0 ? `The household ${en}` : `${field} ${en}`,
    messageZh: `${labelZh(path)}${zh}`,
  };
}
