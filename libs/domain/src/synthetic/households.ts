import { countyName } from '../areas/counties';
import { syntheticAreas } from '../areas/synthetic';
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
} from '../household/enums';
import type { Household, Income, Member, Shock } from '../household/types';
import { ageOn, isValidDate } from '../time/dates';
import { IdNumberAllocator } from './id-numbers';
import { GIVEN_NAME_CHARACTERS, SURNAMES } from './names';
import { Random } from './random';

// Synthetic households (一户一表, DOMAIN.md §3) for demos, load tests and benchmarks: a seeded, pure
// generator, so the same options always give the same households in the same order.
//
// The numbers are plausible, not statistics: rural Ganzhou around 2020 with a median per-capita net
// income near 12 000 yuan, about one household in ten below the 6 000-yuan monitoring line, and every
// typical feature (F1–F10) and monitoring warning present in a realistic minority. Amounts are whole yuan.

/** The income year when none is given: the last year with a default monitoring line (DOMAIN.md §4). */
export const SYNTHETIC_DEFAULT_YEAR = 2021;

export interface SyntheticHouseholdOptions {
  /** One of the 18 county codes; households go to the county's villages in syntheticAreas(). */
  county: string;
  /** A whole number 0..2^32 − 1; the same seed gives the same households. */
  seed: number;
  /** The year of `income` (default 2021); `previousIncome` is the year before. 2001..2100. */
  year?: number;
  /**
   * The date ages are taken on, on or after 1 January of `year` (default 31 December of `year`). No
   * birth or shock date passes it, and recent shocks fall in the year before it (F8's window).
   */
  asOf?: string;
}

interface Settings {
  year: number;
  asOf: string;
  /** Incomes are drawn at 2021 levels and scaled by about 7 % a year for other years. */
  incomeLevel: number;
  villages: readonly { code: string; addressPrefix: string }[];
}

/**
 * `count` synthetic households of a county, generated one at a time: memory stays bounded however
 * many are drawn (the only state beyond one household is one counter per birth date, see
 * IdNumberAllocator). Each household passes validateHousehold as of `asOf`, has no `id` (the registry
 * assigns it), and no ID number repeats within the run. The first k households do not depend on
 * `count`. Throws RangeError for invalid options.
 */
export function generateHouseholds(count: number, options: SyntheticHouseholdOptions): Generator<Household> {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError('generateHouseholds: count must be a whole number ≥ 0');
  const name = countyName(options.county);
  if (name === null) throw new RangeError('generateHouseholds: county must be one of the 18 county codes');
  const year = options.year ?? SYNTHETIC_DEFAULT_YEAR;
  if (!Number.isInteger(year) || year < 2001 || year > 2100)
    throw new RangeError('generateHouseholds: year must be a whole number from 2001 to 2100');
  const asOf = options.asOf ?? `${year}-12-31`;
  if (!isValidDate(asOf) || asOf < `${year}-01-01`)
    throw new RangeError(`generateHouseholds: asOf must be a YYYY-MM-DD date on or after ${year}-01-01`);
  const random = new Random(options.seed); // checks the seed

  const areas = syntheticAreas();
  const nameOf = new Map(areas.map((a) => [a.code, a.name]));
  const villages = areas
    .filter((a) => a.level === 'village' && a.code.startsWith(options.county))
    .map((v) => ({ code: v.code, addressPrefix: `${name}${nameOf.get(v.parentCode ?? '')}${v.name}` }));
  const settings: Settings = { year, asOf, incomeLevel: 1.07 ** (year - SYNTHETIC_DEFAULT_YEAR), villages };
  return generate(count, random, new IdNumberAllocator(options.county), settings);
}

function* generate(count: number, random: Random, ids: IdNumberAllocator, s: Settings): Generator<Household> {
  for (let i = 0; i < count; i++) yield household(random, ids, s);
}

// ---------------------------------------------------------------------------------------------------
// Who lives in the household: relations and ages.

interface Person {
  relation: Relation;
  age: number;
}

const SIZES = [
  [1, 8],
  [2, 19],
  [3, 20],
  [4, 22],
  [5, 16],
  [6, 10],
  [7, 5],
] as const;

/** Living alone is mostly old age; larger households have heads in their forties and fifties. */
function headAge(r: Random, size: number): number {
  if (size === 1) return r.chance(0.65) ? r.int(60, 90) : r.int(30, 59);
  if (size === 2) return r.int(24, 86);
  return Math.round((r.int(24, 74) + r.int(30, 70)) / 2);
}

/** Ages of a household of `size` by relation to its head; consistent with one another. */
function composition(r: Random, size: number): Person[] {
  const head = headAge(r, size);
  const people: Person[] = [{ relation: 'head', age: head }];
  const room = () => size - people.length;

  if (room() > 0 && r.chance(size === 2 ? 0.7 : 0.9))
    people.push({ relation: 'spouse', age: clamp(head + r.int(-6, 4), 20, 95) });
  const youngestParent = Math.min(...people.map((p) => p.age));

  // Elderly parents live with the family of a head of working age.
  if (head <= 62 && room() > 1 && r.chance(0.35)) {
    const parents = room() > 2 && r.chance(0.45) ? 2 : 1;
    const base = head + r.int(22, 32);
    for (let i = 0; i < parents; i++)
      if (base + i * 2 <= 96) people.push({ relation: 'parent', age: base + i * 2 - r.int(0, 3) });
  }

  // An older head may keep grandchildren, with or without their parent (the other often works away).
  if (head >= 48 && room() > 0 && r.chance(0.45)) {
    const adultChildAge = youngestParent - r.int(22, 30);
    if (adultChildAge >= 20 && room() > 1 && r.chance(0.55)) {
      people.push({ relation: 'child', age: adultChildAge });
      if (room() > 1 && r.chance(0.6)) people.push({ relation: 'other', age: adultChildAge + r.int(-3, 3) }); // 儿媳/女婿
    }
    const eldestGrandchild = Math.min(adultChildAge - 20, 17);
    while (room() > 0 && eldestGrandchild >= 0 && r.chance(0.9))
      people.push({ relation: 'grandchild', age: r.int(0, eldestGrandchild) });
  }

  // Children fill the rest, born when the younger partner was 20 to 40; siblings where that is impossible.
  while (room() > 0) {
    const age = youngestParent - r.int(20, 40);
    if (age >= 0) people.push({ relation: 'child', age });
    else people.push({ relation: 'sibling', age: clamp(head + r.int(-10, 10), 16, 95) });
  }
  return people;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------------
// Dates and ID numbers.

const DAY_MS = 86_400_000;
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** A birth date that makes someone `age` on `asOf` (born 0..364 days before that birthday). */
function birthDateFor(r: Random, age: number, asOf: string): string {
  const y = Number(asOf.slice(0, 4)) - age;
  const monthDay = asOf.slice(5) === '02-29' ? '02-28' : asOf.slice(5);
  return dateOf(msOf(`${String(y).padStart(4, '0')}-${monthDay}`) - r.int(0, 364) * DAY_MS);
}

/** A birth date and a run-unique ID number agreeing with it: a full birth date moves a day earlier. */
function identity(r: Random, ids: IdNumberAllocator, age: number, asOf: string) {
  let birthDate = birthDateFor(r, age, asOf);
  for (;;) {
    const idNumber = ids.allocate(birthDate);
    if (idNumber !== null) return { birthDate, idNumber };
    birthDate = dateOf(msOf(birthDate) - DAY_MS);
  }
}

// ---------------------------------------------------------------------------------------------------
// Members: health, schooling, labour and work consistent with age.

interface Draft extends Person {
  member: Member;
  /** This year's wage before any shock of the year (yuan at 2021 levels). */
  wage: number;
}

function health(r: Random, age: number): { health: Health; disabilityGrade: DisabilityGrade | null } {
  const x = r.next();
  const [disabled, ill, chronic] = age < 16 ? [0.01, 0.003, 0.02] : age < 60 ? [0.03, 0.012, 0.12] : [0.07, 0.03, 0.4];
  if (x < disabled)
    return {
      health: 'disabled',
      disabilityGrade: r.weighted<DisabilityGrade>([
        [1, 12],
        [2, 23],
        [3, 30],
        [4, 35],
      ]),
    };
  if (x < disabled + ill) return { health: 'serious_illness', disabilityGrade: null };
  if (x < disabled + ill + chronic) return { health: 'chronic', disabilityGrade: null };
  return { health: 'healthy', disabilityGrade: null };
}

/** Highest level attained by adults out of school, by decade of birth. */
function attainedEducation(r: Random, birthYear: number): Education {
  if (birthYear >= 1990)
    return r.weighted<Education>([
      ['primary', 3],
      ['junior', 45],
      ['senior_high', 20],
      ['secondary_vocational', 14],
      ['higher_vocational', 10],
      ['undergraduate', 8],
    ]);
  if (birthYear >= 1970)
    return r.weighted<Education>([
      ['primary', 20],
      ['junior', 55],
      ['senior_high', 15],
      ['secondary_vocational', 5],
      ['higher_vocational', 3],
      ['undergraduate', 2],
    ]);
  if (birthYear >= 1950)
    return r.weighted<Education>([
      ['none', 15],
      ['primary', 50],
      ['junior', 30],
      ['senior_high', 5],
    ]);
  return r.weighted<Education>([
    ['none', 45],
    ['primary', 45],
    ['junior', 10],
  ]);
}

function schooling(r: Random, age: number, birthYear: number, h: Health): { education: Education; inSchool: boolean } {
  // Children kept out of school by disability or serious illness raise no dropout warning (除身体原因).
  const impaired = h === 'disabled' || h === 'serious_illness';
  const stays = (p: number) => r.chance(impaired ? p * 0.6 : p);
  if (age <= 2) return { education: 'none', inSchool: false };
  if (age <= 5)
    return stays(0.88) ? { education: 'preschool', inSchool: true } : { education: 'none', inSchool: false };
  if (age <= 11) return { education: 'primary', inSchool: stays(0.996) };
  if (age <= 14) return { education: 'junior', inSchool: stays(0.99) };
  if (age === 15) {
    if (!stays(0.97)) return { education: 'junior', inSchool: false };
    return { education: r.chance(0.35) ? 'senior_high' : 'junior', inSchool: true };
  }
  if (age <= 18) {
    if (!stays(0.82)) return { education: 'junior', inSchool: false };
    return { education: r.chance(0.6) ? 'senior_high' : 'secondary_vocational', inSchool: true };
  }
  if (age <= 22 && stays(0.3))
    return { education: r.chance(0.5) ? 'higher_vocational' : 'undergraduate', inSchool: true };
  if (age >= 23 && age <= 25 && stays(0.02)) return { education: 'postgraduate', inSchool: true };
  return { education: attainedEducation(r, birthYear), inSchool: false };
}

function labour(r: Random, age: number, h: Health, grade: DisabilityGrade | null, inSchool: boolean): Labour {
  if (age < 16 || inSchool) return 'none';
  if (h === 'disabled') {
    if (grade === 1 || grade === 2) return 'lost';
    if (grade === 3 || age >= 60) return r.chance(0.7) ? 'weak_or_half' : 'lost';
    return r.chance(0.5) ? 'ordinary' : 'weak_or_half';
  }
  if (h === 'serious_illness') return r.chance(0.6) ? 'lost' : 'weak_or_half';
  if (age >= 75) return r.chance(h === 'chronic' ? 0.8 : 0.55) ? 'lost' : 'weak_or_half';
  if (age >= 65)
    return r.weighted<Labour>([
      ['ordinary', h === 'chronic' ? 5 : 20],
      ['weak_or_half', 55],
      ['lost', h === 'chronic' ? 40 : 25],
    ]);
  if (age >= 60)
    return r.weighted<Labour>([
      ['ordinary', h === 'chronic' ? 25 : 50],
      ['weak_or_half', 40],
      ['lost', 10],
    ]);
  if (h === 'chronic') return r.chance(0.5) ? 'ordinary' : 'weak_or_half';
  return r.weighted<Labour>([
    ['skilled', 22],
    ['ordinary', 73],
    ['weak_or_half', 5],
  ]);
}

function employmentChance(age: number, l: Labour): number {
  if (l === 'skilled' || l === 'ordinary') return age < 18 ? 0.5 : age < 60 ? 0.75 : age < 65 ? 0.3 : 0.05;
  if (l === 'weak_or_half') return age < 65 ? 0.25 : 0.03;
  return 0;
}

/** Wage employment (务工, local or away) and the year's wage at 2021 levels. */
function work(r: Random, age: number, l: Labour): { employed: boolean; wage: number } {
  if (!r.chance(employmentChance(age, l))) return { employed: false, wage: 0 };
  const median = l === 'skilled' ? 48_000 : l === 'ordinary' ? 33_000 : 13_000;
  return { employed: true, wage: r.logNormal(median * (age >= 55 ? 0.6 : age < 20 ? 0.7 : 1), 0.45) };
}

function personalName(r: Random, surname: string): string {
  return surname + r.pick(GIVEN_NAME_CHARACTERS) + (r.chance(0.8) ? r.pick(GIVEN_NAME_CHARACTERS) : '');
}

function members(r: Random, ids: IdNumberAllocator, s: Settings): Draft[] {
  const people = composition(r, r.weighted(SIZES));
  const family = r.pick(SURNAMES);
  const drafts: Draft[] = people.map((p) => {
    const { birthDate, idNumber } = identity(r, ids, p.age, s.asOf);
    const age = ageOn(birthDate, s.asOf);
    const h = health(r, age);
    const school = schooling(r, age, Number(birthDate.slice(0, 4)), h.health);
    const l = labour(r, age, h.health, h.disabilityGrade, school.inSchool);
    const job = work(r, age, l);
    const bloodline =
      p.relation === 'head' || p.relation === 'child' || p.relation === 'grandchild' || p.relation === 'sibling';
    const member: Member = {
      name: personalName(r, bloodline || (p.relation === 'parent' && r.chance(0.5)) ? family : r.pick(SURNAMES)),
      idNumber,
      relation: p.relation,
      birthDate,
      labour: l,
      mainLabour: false,
      health: h.health,
      disabilityGrade: h.disabilityGrade,
      education: school.education,
      inSchool: school.inSchool,
      employed: job.employed,
      hasGuardian: true,
      hasSupporter: true,
    };
    return { relation: p.relation, age, member, wage: job.wage };
  });

  // Main labour: the one or two strongest earners (employed first, then skilled before ordinary).
  const strength = (d: Draft) =>
    (d.member.employed ? 4 : 0) + (d.member.labour === 'skilled' ? 2 : d.member.labour === 'ordinary' ? 1 : 0);
  const able = drafts.filter((d) => d.member.labour === 'skilled' || d.member.labour === 'ordinary');
  const candidates = able.length > 0 ? able : drafts.filter((d) => d.member.labour === 'weak_or_half' && d.age < 70);
  candidates.sort((a, b) => strength(b) - strength(a) || a.age - b.age);
  const mains = candidates.length >= 2 && r.chance(0.6) ? 2 : Math.min(1, candidates.length);
  for (const d of candidates.slice(0, mains)) d.member.mainLabour = true;

  // Guardians and supporters (F9): children lack a guardian only in rare orphan cases, most often when
  // they live with grandparents alone; the elderly lack a legal supporter when no child looks after them.
  const workingAge = drafts.some((d) => d.age >= 18 && d.age < 60);
  const adultChild = drafts.some((d) => d.relation === 'child' && d.age >= 18);
  for (const d of drafts) {
    if (d.age < 18) d.member.hasGuardian = !r.chance(workingAge ? 0.0005 : 0.05);
    if (d.age >= 60) {
      const cared = d.relation === 'parent' || ((d.relation === 'head' || d.relation === 'spouse') && adultChild);
      d.member.hasSupporter = cared || !r.chance(0.18);
    }
  }
  return drafts;
}

// ---------------------------------------------------------------------------------------------------
// Events of the year: a main earner's illness, shocks.

const HARDSHIP_REASONS = [
  '房屋失火',
  '家人长期重病需照护',
  '遭遇诈骗致家庭财产重大损失',
  '子女残疾需长期照料',
] as const;

/** About 1 % of households: the main earner falls seriously ill this year and stops working (F4). */
function seriousIllnessOfMainEarner(r: Random, drafts: Draft[]): void {
  const main = drafts.find((d) => d.member.mainLabour);
  if (main === undefined || !r.chance(0.012)) return;
  Object.assign(main.member, { health: 'serious_illness', disabilityGrade: null, labour: 'lost', employed: false });
  main.wage = 0;
}

/** 5 % of households: a disaster, accident or epidemic within the year before asOf (F8's window). */
function recentShock(r: Random, drafts: Draft[], asOf: string): Shock | null {
  if (!r.chance(0.05)) return null;
  const date = dateOf(msOf(asOf) - r.int(0, 364) * DAY_MS);
  const type = r.weighted<ShockType>([
    ['disaster', 50],
    ['accident', 35],
    ['epidemic', date >= '2020-01-20' ? 15 : 0],
  ]);
  const main = drafts.find((d) => d.member.mainLabour);
  const mainLabourLostOrDisabled = type === 'accident' && main !== undefined && r.chance(0.3);
  if (mainLabourLostOrDisabled && main) {
    const grade = r.weighted<DisabilityGrade>([
      [1, 30],
      [2, 40],
      [3, 30],
    ]);
    Object.assign(main.member, { health: 'disabled', disabilityGrade: grade, labour: 'lost', employed: false });
    main.wage = 0;
  }
  const incomeDropRatio = r.chance(0.4) ? r.int(30, 70) / 100 : r.int(0, 29) / 100;
  return {
    type,
    date,
    mainLabourLostOrDisabled,
    expense: Math.min(500_000, Math.round(r.logNormal(5_000, 1))),
    incomeDropRatio,
  };
}

/** 3 % of households: an older shock, outside F8's window, which the assessment must not count. */
function earlierShock(r: Random, asOf: string): Shock | null {
  if (!r.chance(0.03)) return null;
  const date = dateOf(msOf(asOf) - r.int(366, 1_000) * DAY_MS);
  return {
    type: r.weighted<ShockType>([
      ['disaster', 60],
      ['accident', 40],
    ]),
    date,
    mainLabourLostOrDisabled: false,
    expense: Math.round(r.logNormal(3_000, 0.8)),
    incomeDropRatio: r.int(0, 40) / 100,
  };
}

// ---------------------------------------------------------------------------------------------------
// The household.

const EDUCATION_COST: Readonly<Record<Education, number>> = {
  none: 0,
  preschool: 2_000,
  primary: 400,
  junior: 800,
  senior_high: 3_000,
  secondary_vocational: 2_500,
  higher_vocational: 8_000,
  undergraduate: 10_000,
  postgraduate: 12_000,
};

function housing(r: Random): { structure: HousingStructure; onlyHome: boolean; safetyGrade: SafetyGrade } {
  const structure = r.weighted<HousingStructure>([
    ['brick_concrete', 62],
    ['steel_concrete', 12],
    ['brick_wood', 18],
    ['mud_brick', 4],
    ['other', 4],
  ]);
  const grades: Record<HousingStructure, [SafetyGrade, number][]> = {
    mud_brick: [
      ['B', 35],
      ['C', 45],
      ['D', 20],
    ],
    brick_wood: [
      ['A', 30],
      ['B', 55],
      ['C', 12],
      ['D', 3],
    ],
    brick_concrete: [
      ['A', 75],
      ['B', 23],
      ['C', 2],
    ],
    steel_concrete: [
      ['A', 90],
      ['B', 10],
    ],
    other: [
      ['A', 40],
      ['B', 45],
      ['C', 15],
    ],
  };
  return { structure, onlyHome: r.chance(0.85), safetyGrade: r.weighted(grades[structure]) };
}

/** Whole yuan, never negative. */
const yuan = (x: number): number => Math.max(0, Math.round(x));
/** Whole yuan, negative allowed (net business income); + 0 turns -0 into 0. */
const signedYuan = (x: number): number => Math.round(x) + 0;

function household(r: Random, ids: IdNumberAllocator, s: Settings): Household {
  const village = r.pick(s.villages);
  const address = `${village.addressPrefix}${r.int(1, 12)}组${r.int(1, 80)}号`;
  const povertyStatus = r.weighted<PovertyStatus>([
    ['none', 85],
    ['exited_poor', 12],
    ['registered_poor', 3],
  ]);
  const poor = povertyStatus !== 'none';
  const drafts = members(r, ids, s);
  const n = drafts.length;
  const level = s.incomeLevel * (poor ? 0.75 : 1);

  // This year's income as it would have been without the year's events; last year's follows from it.
  const covered = r.chance(poor ? 0.85 : 0.45);
  const failed = covered && r.chance(0.03);
  const wageBefore = drafts.reduce((sum, d) => sum + d.wage, 0);
  const farmers = drafts.filter(
    (d) => !d.member.employed && ['skilled', 'ordinary', 'weak_or_half'].includes(d.member.labour as string),
  ).length;
  const someLabour = drafts.some((d) => d.member.labour !== 'none' && d.member.labour !== 'lost');
  const businessBefore =
    (farmers > 0
      ? r.logNormal(7_500 * (1 + 0.5 * (farmers - 1)), 0.6)
      : someLabour
        ? r.logNormal(1_500, 0.6)
        : r.logNormal(600, 0.8)) * (covered ? 1.6 : 1);
  let property = r.chance(0.45) ? r.int(100, 2_500) : 0;
  if (poor && r.chance(0.5)) property += r.int(1_000, 3_000); // dividends of poverty-relief projects (光伏, 合作社)
  const elderly = drafts.filter((d) => d.age >= 60).length;
  const disabled = drafts.filter((d) => d.member.health === 'disabled').length;
  const workingAge = drafts.some((d) => d.age >= 18 && d.age < 60);
  let transfer = elderly * r.int(1_300, 2_200) + r.int(100, 700) + disabled * r.int(600, 2_400);
  if (povertyStatus === 'registered_poor' && r.chance(0.6))
    transfer += n * r.int(2_500, 4_500); // 低保
  else if (povertyStatus === 'exited_poor' && r.chance(0.25)) transfer += n * r.int(1_500, 3_500);
  else if (!poor && (wageBefore + businessBefore) / n < 4_000 && r.chance(0.2)) transfer += n * r.int(1_500, 3_500);
  if (!workingAge && elderly > 0 && r.chance(0.8)) transfer += r.int(2_000, 10_000); // 赡养费 from children away
  if (!workingAge && drafts.some((d) => d.relation === 'grandchild')) transfer += r.int(6_000, 15_000); // parents away send money

  // The year's events change this year's wage and business.
  seriousIllnessOfMainEarner(r, drafts);
  const recent = recentShock(r, drafts, s.asOf);
  const earlier = earlierShock(r, s.asOf);
  const drop = recent?.incomeDropRatio ?? 0;
  const wageNow = drafts.reduce((sum, d) => sum + d.wage, 0) * (1 - drop);
  const businessNow = failed ? -r.int(500, 10_000) : businessBefore * (1 - drop);

  const income: Income = {
    year: s.year,
    wage: yuan(wageNow * level),
    business: signedYuan(businessNow * level),
    property: yuan(property * level),
    transfer: yuan(transfer * level),
  };
  const growth = 1 + r.int(0, 12) / 100;
  const previousIncome: Income = {
    year: s.year - 1,
    wage: yuan((wageBefore * level) / growth),
    business: signedYuan((businessBefore * level) / growth),
    property: yuan((property * level) / growth),
    transfer: yuan((transfer * level) / growth),
  };

  const medicalSelfPaid = drafts.reduce((sum, d) => {
    const h = d.member.health;
    if (h === 'serious_illness') return sum + Math.min(300_000, r.logNormal(16_000, 0.7));
    if (h === 'chronic') return sum + r.logNormal(1_800, 0.6);
    if (h === 'disabled') return sum + r.int(300, 3_000);
    return sum + (r.chance(0.3) ? r.int(50, 600) : 0);
  }, 0);
  const education = drafts.reduce(
    (sum, d) => sum + (d.member.inSchool ? EDUCATION_COST[d.member.education as Education] : 0),
    0,
  );

  const perCapita = (wageBefore + businessBefore + property + transfer) / n;
  const wealth = perCapita > 20_000 ? 2 : perCapita > 10_000 ? 1 : 0;
  const special = r.chance(0.004);
  return {
    areaCode: village.code,
    address,
    povertyStatus,
    nationalSystemId: null,
    members: drafts.map((d) => d.member),
    income,
    previousIncome,
    expenses: { medicalSelfPaid: yuan(medicalSelfPaid * s.incomeLevel), education: yuan(education * s.incomeLevel) },
    housing: housing(r),
    industry: { covered, failedDueToForceMajeure: failed },
    shocks: [recent, earlier].filter((x): x is Shock => x !== null),
    drinkingWaterSafe: r.chance(0.985),
    medicalInsuranceEnrolled: poor || r.chance(0.985),
    specialHardship: special ? { flag: true, reason: r.pick(HARDSHIP_REASONS) } : { flag: false, reason: '' },
    assets: {
      car: r.chance([0.02, 0.12, 0.35][wealth]),
      commercialHousing: r.chance([0.01, 0.08, 0.25][wealth]),
    },
  };
}
