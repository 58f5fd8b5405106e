// Names of the assistance records' codes in the officer's language: measures (from the catalogue the
// server keeps, so an administrator's renaming shows), departments, task states, conditions. Unknown
// values (a newer server) read as themselves.
import type { Measure } from '../api/assistance';
import type { Messages } from '../i18n/zh';
import { causeLabel } from '../warnings/causes';

const own = <T extends object>(o: T, k: string): k is Extract<keyof T, string> =>
  Object.prototype.hasOwnProperty.call(o, k);

/** 'M4 医疗保障：…' from the catalogue; the bare code when the catalogue has not loaded or lacks it. */
export function measureTitle(code: string, catalogue: readonly Measure[] | undefined, lang: 'zh' | 'en'): string {
  const m = catalogue?.find((x) => x.code === code);
  if (!m) return code;
  return `${code} ${lang === 'zh' ? m.nameZh : m.nameEn}`;
}

export function departmentLabel(m: Messages, department: string): string {
  return own(m.departments, department) ? m.departments[department] : department;
}

export function departmentList(m: Messages, departments: readonly string[], lang: 'zh' | 'en'): string {
  return departments.map((d) => departmentLabel(m, d)).join(lang === 'zh' ? '、' : ', ');
}

export function taskStateLabel(m: Messages, state: string): string {
  return own(m.assistance.taskStates, state) ? m.assistance.taskStates[state] : state;
}

export function taskActionLabel(m: Messages, action: string): string {
  return own(m.assistance.taskActions, action) ? m.assistance.taskActions[action] : action;
}

export function taskActionList(m: Messages, actions: readonly string[], lang: 'zh' | 'en'): string {
  return actions.map((a) => taskActionLabel(m, a)).join(lang === 'zh' ? '、' : ', ');
}

/** Tag colours: waiting blue, accepted cyan, delivered green, declined red, closed grey. */
export function taskStateColor(state: string): string {
  switch (state) {
    case 'open':
      return 'blue';
    case 'accepted':
      return 'cyan';
    case 'delivered':
      return 'green';
    case 'declined':
      return 'red';
    default:
      return 'default';
  }
}

export function conditionLabel(m: Messages, condition: string): string {
  return own(m.assistance.conditions, condition) ? m.assistance.conditions[condition] : condition;
}

export function kindLabel(m: Messages, kind: string): string {
  return own(m.assistance.kinds, kind) ? m.assistance.kinds[kind] : kind;
}

export function measureStatusLabel(m: Messages, status: string): string {
  return own(m.assistance.measureStatuses, status) ? m.assistance.measureStatuses[status] : status;
}

export function proposalStatusLabel(m: Messages, status: string): string {
  return own(m.assistance.proposalStatuses, status) ? m.assistance.proposalStatuses[status] : status;
}

/** The causes a measure answers: every cause, or the features with their text. */
export function causesText(m: Messages, measure: Pick<Measure, 'answersAll' | 'causes'>, lang: 'zh' | 'en'): string {
  if (measure.answersAll) return m.assistance.measures.allCauses;
  return measure.causes.map((c) => causeLabel(c, lang)).join(lang === 'zh' ? '；' : '; ');
}

/** 1 500.50 元 / 1,500.50 yuan: an amount as officers read money. */
export function yuanText(m: Messages, amount: number): string {
  const text = amount.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  return m.assistance.yuan.replace('{{amount}}', text);
}
