/**
 * What each eligibility condition of the catalogue means, judged on the household at identification.
 * - has_labourer: a member whose labour is skilled, ordinary or weak_or_half (DOMAIN.md §8: M1/M2/M3
 *   need labour; §4 F3 uses the same three).
 * - single_person_inclusion_member: a member who may be included in dibao alone (单人户): severely
 *   disabled (grade 1 or 2), seriously ill, elderly (60 or over) or a minor (under 18) — ages in
 *   completed years on the as-of date.
 */
import type { Household, Member } from '../household/types';
import { ageOn } from '../time/dates';
import type { EligibilityCondition } from './catalogue';

const WITH_LABOUR = new Set(['skilled', 'ordinary', 'weak_or_half']);

export function hasLabourer(h: Pick<Household, 'members'>): boolean {
  return h.members.some((m) => m.labour !== undefined && WITH_LABOUR.has(m.labour));
}

export function singlePersonInclusion(m: Member, asOf: string): boolean {
  if (m.health === 'serious_illness') return true;
  if (m.health === 'disabled' && (m.disabilityGrade === 1 || m.disabilityGrade === 2)) return true;
  if (m.birthDate && m.birthDate <= asOf) {
    const age = ageOn(m.birthDate, asOf);
    if (age >= 60 || age < 18) return true;
  }
  return false;
}

export function meetsCondition(c: EligibilityCondition, h: Pick<Household, 'members'>, asOf: string): boolean {
  switch (c) {
    case 'has_labourer':
      return hasLabourer(h);
    case 'single_person_inclusion_member':
      return h.members.some((m) => singlePersonInclusion(m, asOf));
  }
}
