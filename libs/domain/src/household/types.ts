import type {
  DisabilityGrade,
  Education,
  Health,
  HousingStructure,
  Labour,
  PovertyStatus,
  Relation,
  SafetyGrade,
  ShockType,
} from './enums';

// The canonical household of DOMAIN.md §3 (一户一表). Field names never change. Optional fields are
// absent when unknown: the library never fills in a default, because a default (say income 0 or
// hasGuardian false) could trigger or hide a risk feature.

export interface Member {
  name: string;
  /** 18 characters, GB 11643 checksum, final 'X' upper-case. Personal data: never log it. */
  idNumber?: string;
  relation: Relation;
  /** YYYY-MM-DD; agrees with the date inside idNumber when both are given. */
  birthDate?: string;
  labour?: Labour;
  /** A main earner of the household. */
  mainLabour?: boolean;
  health?: Health;
  /** Only with health 'disabled'. */
  disabilityGrade?: DisabilityGrade | null;
  education?: Education;
  inSchool?: boolean;
  employed?: boolean;
  hasGuardian?: boolean;
  hasSupporter?: boolean;
}

/** One year's income in yuan (≤ 2 decimals). `business` is net operating income and may be negative. */
export interface Income {
  year: number;
  wage: number;
  business: number;
  property: number;
  transfer: number;
}

export interface Expenses {
  medicalSelfPaid?: number;
  education?: number;
}

export interface Housing {
  structure?: HousingStructure;
  onlyHome?: boolean;
  safetyGrade?: SafetyGrade;
}

export interface Industry {
  covered?: boolean;
  failedDueToForceMajeure?: boolean;
}

export interface Shock {
  type: ShockType;
  date: string;
  mainLabourLostOrDisabled?: boolean;
  expense?: number;
  /** 0..1 */
  incomeDropRatio?: number;
}

export interface SpecialHardship {
  flag: boolean;
  /** Required (non-blank) when flag is true. */
  reason?: string;
}

export interface Assets {
  car?: boolean;
  commercialHousing?: boolean;
}

export interface Household {
  /** Assigned by the registry; absent on a household being created. */
  id?: string;
  /** 12-digit village code under one of the 18 counties. */
  areaCode: string;
  address: string;
  povertyStatus: PovertyStatus;
  /** Set when the household is already in the national system. */
  nationalSystemId?: string | null;
  members: Member[];
  income?: Income;
  previousIncome?: Income;
  expenses?: Expenses;
  housing?: Housing;
  industry?: Industry;
  shocks?: Shock[];
  drinkingWaterSafe?: boolean;
  medicalInsuranceEnrolled?: boolean;
  specialHardship?: SpecialHardship;
  assets?: Assets;
}
