// The enumerated values of the canonical household (DOMAIN.md §3). They travel as these exact
// strings in APIs, files and events; add values, never rename.

export const POVERTY_STATUSES = ['none', 'registered_poor', 'exited_poor'] as const;
export type PovertyStatus = (typeof POVERTY_STATUSES)[number];

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export const LABOURS = ['skilled', 'ordinary', 'weak_or_half', 'lost', 'none'] as const;
export type Labour = (typeof LABOURS)[number];

export const HEALTH_STATES = ['healthy', 'chronic', 'serious_illness', 'disabled'] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const EDUCATION_LEVELS = [
  'none',
  'preschool',
  'primary',
  'junior',
  'senior_high',
  'secondary_vocational',
  'higher_vocational',
  'undergraduate',
  'postgraduate',
] as const;
export type Education = (typeof EDUCATION_LEVELS)[number];

export const HOUSING_STRUCTURES = ['mud_brick', 'brick_wood', 'brick_concrete', 'steel_concrete', 'other'] as const;
export type HousingStructure = (typeof HOUSING_STRUCTURES)[number];

export const SAFETY_GRADES = ['A', 'B', 'C', 'D'] as const;
export type SafetyGrade = (typeof SAFETY_GRADES)[number];

export const SHOCK_TYPES = ['disaster', 'accident', 'epidemic'] as const;
export type ShockType = (typeof SHOCK_TYPES)[number];

/** Disability grades 1 (most severe) to 4 of the national disability certificate. */
export const DISABILITY_GRADES = [1, 2, 3, 4] as const;
export type DisabilityGrade = (typeof DISABILITY_GRADES)[number];
