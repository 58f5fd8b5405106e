// The household form (一户一表) ⇄ the canonical household JSON of DOMAIN.md §3. Pure, so the mapping
// is unit-tested apart from React.
//
// The form's field names are the canonical paths themselves (`members[0].idNumber` is the form item
// ['members', 0, 'idNumber']), so the server's field errors land on the right item without a table.
// Two things differ from the canonical JSON:
// - An optional yes/no fact is 'yes' | 'no' | undefined in the form. Undefined means "not recorded",
//   and stays absent in the JSON: the model never defaults a fact, because a default (say
//   hasGuardian false) could trigger or hide a risk feature.
// - Empty inputs ('' or a cleared number) are absent, never '' or 0.
import type {
  DisabilityGrade,
  Education,
  Health,
  Household,
  HousingStructure,
  Income,
  Labour,
  Member,
  PovertyStatus,
  Relation,
  SafetyGrade,
  Shock,
  ShockType,
} from '@shouwang/domain';
import { REGISTRY_FIELDS } from '../api/households';

/** An optional yes/no fact as the form holds it; undefined = not recorded. */
export type YesNo = 'yes' | 'no' | undefined;
/** A number input's value: null when cleared. */
type Amount = number | null | undefined;

export interface MemberValues {
  name?: string;
  idNumber?: string;
  relation?: Relation;
  birthDate?: string;
  labour?: Labour;
  mainLabour?: YesNo;
  health?: Health;
  disabilityGrade?: DisabilityGrade | null;
  education?: Education;
  inSchool?: YesNo;
  employed?: YesNo;
  hasGuardian?: YesNo;
  hasSupporter?: YesNo;
}

export interface IncomeValues {
  year?: Amount;
  wage?: Amount;
  business?: Amount;
  property?: Amount;
  transfer?: Amount;
}

export interface ShockValues {
  type?: ShockType;
  date?: string;
  mainLabourLostOrDisabled?: YesNo;
  expense?: Amount;
  incomeDropRatio?: Amount;
}

export interface HouseholdFormValues {
  areaCode?: string;
  address?: string;
  povertyStatus?: PovertyStatus;
  nationalSystemId?: string;
  members: MemberValues[];
  income: IncomeValues;
  previousIncome: IncomeValues;
  expenses: { medicalSelfPaid?: Amount; education?: Amount };
  housing: { structure?: HousingStructure; onlyHome?: YesNo; safetyGrade?: SafetyGrade };
  industry: { covered?: YesNo; failedDueToForceMajeure?: YesNo };
  shocks: ShockValues[];
  drinkingWaterSafe?: YesNo;
  medicalInsuranceEnrolled?: YesNo;
  specialHardship: { flag?: YesNo; reason?: string };
  assets: { car?: YesNo; commercialHousing?: YesNo };
}

/** The top-level canonical fields the form edits; any other field of a stored household passes through. */
const FORM_FIELDS: readonly string[] = [
  'areaCode',
  'address',
  'povertyStatus',
  'nationalSystemId',
  'members',
  'income',
  'previousIncome',
  'expenses',
  'housing',
  'industry',
  'shocks',
  'drinkingWaterSafe',
  'medicalInsuranceEnrolled',
  'specialHardship',
  'assets',
];

const INCOME_AMOUNTS = ['wage', 'business', 'property', 'transfer'] as const;

const yesNo = (b: boolean | undefined): YesNo => (b === undefined ? undefined : b ? 'yes' : 'no');
const bool = (v: YesNo): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);
const text = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t : undefined;
};
/**
 * An enumerated value, or undefined for none. The registry's answer may spell "none" as '' (a proto3
 * string left at its default), which is no value of any enum and must not be sent back.
 */
const choice = <T extends string>(v: T | '' | undefined): T | undefined => (v ? v : undefined);
const amount = (n: Amount): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);

/** The object without its undefined entries; undefined when nothing is left. */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

/** A new household's form: the cadre's village preselected and one member, the head. */
export function emptyFormValues(areaCode?: string): HouseholdFormValues {
  return {
    areaCode,
    povertyStatus: 'none',
    members: [{ relation: 'head' }],
    income: {},
    previousIncome: {},
    expenses: {},
    housing: {},
    industry: {},
    shocks: [],
    specialHardship: {},
    assets: {},
  };
}

function incomeValues(i: Income | undefined): IncomeValues {
  if (!i) return {};
  // The four amounts are required in a stored income, so one missing from the answer can only be a
  // zero the transport left out (protobuf JSON omits zero numbers).
  return {
    year: i.year,
    wage: i.wage ?? 0,
    business: i.business ?? 0,
    property: i.property ?? 0,
    transfer: i.transfer ?? 0,
  };
}

/** A stored household (or any canonical JSON) as form values. */
export function toFormValues(h: Household): HouseholdFormValues {
  return {
    areaCode: h.areaCode,
    address: h.address,
    povertyStatus: h.povertyStatus,
    nationalSystemId: h.nationalSystemId ?? undefined,
    members: (h.members ?? []).map((m) => ({
      name: m.name,
      idNumber: m.idNumber,
      relation: m.relation,
      birthDate: m.birthDate,
      labour: choice(m.labour),
      mainLabour: yesNo(m.mainLabour),
      health: choice(m.health),
      disabilityGrade: m.disabilityGrade || undefined,
      education: choice(m.education),
      inSchool: yesNo(m.inSchool),
      employed: yesNo(m.employed),
      hasGuardian: yesNo(m.hasGuardian),
      hasSupporter: yesNo(m.hasSupporter),
    })),
    income: incomeValues(h.income),
    previousIncome: incomeValues(h.previousIncome),
    expenses: { medicalSelfPaid: h.expenses?.medicalSelfPaid, education: h.expenses?.education },
    housing: {
      structure: choice(h.housing?.structure),
      onlyHome: yesNo(h.housing?.onlyHome),
      safetyGrade: choice(h.housing?.safetyGrade),
    },
    industry: {
      covered: yesNo(h.industry?.covered),
      failedDueToForceMajeure: yesNo(h.industry?.failedDueToForceMajeure),
    },
    shocks: (h.shocks ?? []).map((s) => ({
      type: choice(s.type),
      date: s.date,
      mainLabourLostOrDisabled: yesNo(s.mainLabourLostOrDisabled),
      expense: s.expense,
      incomeDropRatio: s.incomeDropRatio,
    })),
    drinkingWaterSafe: yesNo(h.drinkingWaterSafe),
    medicalInsuranceEnrolled: yesNo(h.medicalInsuranceEnrolled),
    specialHardship: { flag: yesNo(h.specialHardship?.flag), reason: h.specialHardship?.reason || undefined },
    assets: { car: yesNo(h.assets?.car), commercialHousing: yesNo(h.assets?.commercialHousing) },
  };
}

/**
 * An income group: absent when every input is empty; otherwise what was entered, so a missing
 * amount comes back from the server as a field error on that very input (`income.wage` required).
 */
function toIncome(v: IncomeValues | undefined): Income | undefined {
  if (!v) return undefined;
  const out: Partial<Income> = { year: amount(v.year) };
  for (const k of INCOME_AMOUNTS) out[k] = amount(v[k]);
  return compact(out) as Income | undefined;
}

function toMember(v: MemberValues): Member {
  return compact({
    name: v.name?.trim() ?? '',
    idNumber: text(v.idNumber),
    relation: v.relation,
    birthDate: text(v.birthDate),
    labour: choice(v.labour),
    mainLabour: bool(v.mainLabour),
    health: choice(v.health),
    disabilityGrade: v.disabilityGrade ?? undefined,
    education: choice(v.education),
    inSchool: bool(v.inSchool),
    employed: bool(v.employed),
    hasGuardian: bool(v.hasGuardian),
    hasSupporter: bool(v.hasSupporter),
  }) as Member;
}

function toShock(v: ShockValues): Shock {
  return (compact({
    type: choice(v.type),
    date: text(v.date),
    mainLabourLostOrDisabled: bool(v.mainLabourLostOrDisabled),
    expense: amount(v.expense),
    incomeDropRatio: amount(v.incomeDropRatio),
  }) ?? {}) as Shock;
}

/**
 * The canonical JSON to send (POST or PUT). Required fields left empty stay absent so the server names
 * them. With `stored`, fields of the stored household this form does not know (added to the model
 * later) are kept; the registry's own fields (id, version, times) are never sent.
 */
export function toHousehold(v: HouseholdFormValues, stored?: Household): Household {
  const kept: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(stored ?? {}))
    if (!FORM_FIELDS.includes(k) && !(REGISTRY_FIELDS as readonly string[]).includes(k)) kept[k] = value;

  const hardshipFlag = bool(v.specialHardship?.flag);
  const hardshipReason = text(v.specialHardship?.reason);
  const shocks = (v.shocks ?? []).map(toShock);

  const fromForm = compact({
    areaCode: v.areaCode,
    address: v.address?.trim() ?? '',
    povertyStatus: v.povertyStatus,
    nationalSystemId: text(v.nationalSystemId),
    members: (v.members ?? []).map(toMember),
    income: toIncome(v.income),
    previousIncome: toIncome(v.previousIncome),
    expenses: compact({
      medicalSelfPaid: amount(v.expenses?.medicalSelfPaid),
      education: amount(v.expenses?.education),
    }),
    housing: compact({
      structure: choice(v.housing?.structure),
      onlyHome: bool(v.housing?.onlyHome),
      safetyGrade: choice(v.housing?.safetyGrade),
    }),
    industry: compact({
      covered: bool(v.industry?.covered),
      failedDueToForceMajeure: bool(v.industry?.failedDueToForceMajeure),
    }),
    shocks: shocks.length ? shocks : undefined,
    drinkingWaterSafe: bool(v.drinkingWaterSafe),
    medicalInsuranceEnrolled: bool(v.medicalInsuranceEnrolled),
    // A reason without a flag is kept with it so the server can say the flag is missing.
    specialHardship:
      hardshipFlag === undefined && hardshipReason === undefined
        ? undefined
        : (compact({ flag: hardshipFlag, reason: hardshipReason }) as Household['specialHardship']),
    assets: compact({ car: bool(v.assets?.car), commercialHousing: bool(v.assets?.commercialHousing) }),
  });
  return { ...kept, ...fromForm } as Household;
}

/** `members[0].idNumber` → ['members', 0, 'idNumber'], the form item's name; [] for the household itself. */
export function namePath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}
