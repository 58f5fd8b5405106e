// Names of the workflows' states, actions, origins and roles in the officer's language, from the
// dictionaries (src/i18n); unknown values (a newer server) read as themselves.
import { ROLES, ROLE_NAMES, type CaseKind, type Role } from '@shouwang/domain';
import type { Messages } from '../i18n/zh';

const own = <T extends object>(o: T, k: string): k is Extract<keyof T, string> =>
  Object.prototype.hasOwnProperty.call(o, k);

export function stateLabel(m: Messages, kind: CaseKind, state: string): string {
  const names = m.cases.states[kind];
  return own(names, state) ? names[state] : state;
}

/** An action or a step of the timeline (submit, verify, include_directly, start_exit, …). */
export function actionLabel(m: Messages, action: string): string {
  return own(m.cases.actions, action) ? m.cases.actions[action] : action;
}

export function actionList(m: Messages, actions: readonly string[], lang: 'zh' | 'en'): string {
  return actions.map((a) => actionLabel(m, a)).join(lang === 'zh' ? '、' : ', ');
}

export function originLabel(m: Messages, origin: string): string {
  return own(m.cases.origins, origin) ? m.cases.origins[origin] : origin;
}

export function documentKindLabel(m: Messages, kind: string): string {
  return own(m.cases.documentKinds, kind) ? m.cases.documentKinds[kind] : kind;
}

export function categoryLabel(m: Messages, category: string): string {
  const names = m.household.assessment.categories;
  return own(names, category) ? names[category] : category;
}

export function roleLabel(role: string, lang: 'zh' | 'en'): string {
  return (ROLES as readonly string[]).includes(role) ? ROLE_NAMES[role as Role][lang] : role;
}

/** Colours of the state tags: waiting steps blue, back to the village orange, decided green or red. */
export function stateColor(state: string): string {
  switch (state) {
    case 'approved':
    case 'exited':
      return 'green';
    case 'rejected':
      return 'red';
    case 'retained':
      return 'default';
    case 'returned':
      return 'orange';
    default:
      return 'blue';
  }
}
