import type { FeedDepartment } from '@shouwang/contracts';
import { parseFen, type DisabilityGrade, type Household, type Member } from '@shouwang/domain';
import { effectiveOn, type DepartmentRecord } from '../feeds/feed-records';

// Department facts over the registry's household (DOMAIN.md §5 部门预警筛查). Each department is
// authoritative for its own facts, so its latest record about a member replaces what the registry holds
// for that fact; everything else stays as the village recorded it. Pure: the assessment then runs on
// the result. The rules, as an officer reads them:
//
//   education         enrolled → the member is in school (at the stage given); dropped_out or
//                     graduated → not in school. (So a dropout aged 6–15 raises school_dropout.)
//   medical_insurance serious illness → the member's health is serious_illness (a disability
//                     certificate stays: the federation decides disability); the year's self-paid
//                     costs of all members, for the income year assessed, replace expenses.medicalSelfPaid
//                     (the insurer settles them all); insured false for any member → the household is
//                     not fully enrolled (medicalInsuranceEnrolled false), true for every member → enrolled.
//   emergency_mgmt    each disaster/accident/epidemic record is a shock of the household (F8).
//   disabled_persons  issued → health disabled with the certificate's grade; revoked → no longer
//                     disabled (health unknown until the village records it).
//   civil_affairs     dibao is transfer income (转移性收入). The village's transfer figure normally
//                     already includes it, so the granted yearly amounts are a floor, not an addition:
//                     transfer = max(recorded transfer, Σ dibao granted) — never counted twice.
//   human_resources   employed / unemployed → the member's employed flag (F3).
//   public_security   a registered car (小轿车) → assets.car; natural_resources: registered commercial
//                     housing (商品房) → assets.commercialHousing. (For an aided household these are also
//                     commitment-violation signals: see violationSignals.)

/** A stored department fact: the validated record without its ID number, and whose it is. */
export type FeedFact = WithoutIdNumber<DepartmentRecord> & {
  /** The department's record id. */
  recordId: string;
  /** Blind index of the person's ID number. */
  personIndex: string;
  /** RFC 3339: when the platform received it (the later of two records of one day wins). */
  receivedAt: string;
};
type WithoutIdNumber<T> = T extends { record: infer R } ? Omit<T, 'record'> & { record: Omit<R, 'idNumber'> } : never;

/** A fact the assessment used, shown with the assessment so officers see where a figure came from. */
export interface AppliedFact {
  department: FeedDepartment;
  recordId: string;
  /** What it changed, e.g. "members[1].inSchool=false". */
  effect: string;
  effectiveOn: string;
}

export interface Overlay {
  household: Household;
  applied: AppliedFact[];
}

type FactOf<D extends FeedDepartment> = Extract<FeedFact, { department: D }>;

const factDate = (f: FeedFact): string => effectiveOn(f as unknown as DepartmentRecord);

/** Later effective date first wins; the same date: the one received later. */
function newer(a: FeedFact, b: FeedFact): boolean {
  const da = factDate(a);
  const db = factDate(b);
  return da !== db ? da > db : a.receivedAt > b.receivedAt;
}

/** The latest fact of a department for each person, keyed by person index. */
function latestPerPerson<D extends FeedDepartment>(
  facts: readonly FeedFact[],
  department: D,
  filter: (f: FactOf<D>) => boolean = () => true,
): Map<string, FactOf<D>> {
  const out = new Map<string, FactOf<D>>();
  for (const f of facts) {
    if (f.department !== department || !filter(f as FactOf<D>)) continue;
    const cur = out.get(f.personIndex);
    if (!cur || newer(f, cur)) out.set(f.personIndex, f as FactOf<D>);
  }
  return out;
}

const fen = (yuan: number): number => {
  const r = parseFen(yuan);
  return r.ok ? r.fen : 0;
};

/** Applies the department facts about a household's members to a copy of it. */
export function applyFeedFacts(
  source: Household,
  memberIndexes: readonly string[],
  facts: readonly FeedFact[],
): Overlay {
  const household = structuredClone(source);
  const applied: AppliedFact[] = [];
  const positions = memberPositions(memberIndexes.slice(0, household.members.length));
  const mine = facts
    .filter((f) => positions.has(f.personIndex))
    .sort((a, b) => (a.department + a.recordId < b.department + b.recordId ? -1 : 1));
  const note = (f: FeedFact, effect: string) =>
    applied.push({ department: f.department, recordId: f.recordId, effect, effectiveOn: factDate(f) });
  const eachMember = <D extends FeedDepartment>(
    latest: Map<string, FactOf<D>>,
    fn: (m: Member, i: number, f: FactOf<D>) => void,
  ) => {
    for (const [ix, f] of latest) {
      const i = positions.get(ix)!;
      fn(household.members[i], i, f);
    }
  };

  eachMember(latestPerPerson(mine, 'education'), (m, i, f) => {
    m.inSchool = f.record.status === 'enrolled';
    if (f.record.stage) m.education = f.record.stage;
    note(f, `members[${i}].inSchool=${m.inSchool}${f.record.stage ? `, education=${f.record.stage}` : ''}`);
  });

  eachMember(latestPerPerson(mine, 'disabled_persons_federation'), (m, i, f) => {
    if (f.record.status === 'issued') {
      m.health = 'disabled';
      m.disabilityGrade = f.record.grade as DisabilityGrade;
      note(f, `members[${i}].health=disabled, disabilityGrade=${f.record.grade}`);
    } else if (m.health === 'disabled') {
      delete m.health;
      delete m.disabilityGrade;
      note(f, `members[${i}].health=unknown (certificate revoked)`);
    }
  });

  const year = household.income?.year;
  const medical = latestPerPerson(mine, 'medical_insurance', (f) => year === undefined || f.record.year === year);
  eachMember(medical, (m, i, f) => {
    if (f.record.seriousIllness && m.health !== 'disabled') {
      m.health = 'serious_illness';
      delete m.disabilityGrade;
      note(f, `members[${i}].health=serious_illness`);
    }
  });
  if (year !== undefined && medical.size > 0) {
    const totalFen = [...medical.values()].reduce((sum, f) => sum + fen(f.record.selfPaid), 0);
    household.expenses = { ...household.expenses, medicalSelfPaid: totalFen / 100 };
    for (const f of medical.values()) note(f, `expenses.medicalSelfPaid=${(totalFen / 100).toFixed(2)} (${year})`);
  }
  const insured = [...medical.values()].filter((f) => f.record.insured !== undefined);
  if (insured.some((f) => f.record.insured === false)) {
    household.medicalInsuranceEnrolled = false;
    for (const f of insured) if (f.record.insured === false) note(f, 'medicalInsuranceEnrolled=false');
  } else if (insured.length > 0 && insured.length === household.members.length) {
    household.medicalInsuranceEnrolled = true;
    for (const f of insured) note(f, 'medicalInsuranceEnrolled=true');
  }

  for (const f of mine) {
    if (f.department !== 'emergency_management') continue;
    const r = f.record;
    household.shocks = [
      ...(household.shocks ?? []),
      {
        type: r.type,
        date: r.occurredOn,
        mainLabourLostOrDisabled: r.mainLabourLostOrDisabled,
        expense: r.expense,
        incomeDropRatio: r.incomeDropRatio,
      },
    ];
    note(f, `shocks+=${r.type} ${r.occurredOn}`);
  }

  const dibao = [...latestPerPerson(mine, 'civil_affairs').values()].filter((f) => f.record.status === 'granted');
  if (household.income && dibao.length > 0) {
    const dibaoFen = dibao.reduce((sum, f) => sum + fen(f.record.annualAmount), 0);
    if (dibaoFen > fen(household.income.transfer)) {
      household.income = { ...household.income, transfer: dibaoFen / 100 };
      for (const f of dibao) note(f, `income.transfer=${(dibaoFen / 100).toFixed(2)} (dibao floor)`);
    }
  }

  eachMember(latestPerPerson(mine, 'human_resources'), (m, i, f) => {
    m.employed = f.record.status === 'employed';
    note(f, `members[${i}].employed=${m.employed}`);
  });

  for (const s of violationSignals(mine, positions)) {
    const f = mine.find((x) => x.department === s.department && x.recordId === s.recordId)!;
    const key = s.asset === 'car' ? 'car' : 'commercialHousing';
    household.assets = { ...household.assets, [key]: true };
    note(f, `assets.${key}=true`);
  }
  return { household, applied };
}

/** A car or commercial housing a department registered to a member. */
export interface AssetSignal {
  department: 'public_security' | 'natural_resources';
  recordId: string;
  asset: 'car' | 'commercial_housing';
  occurredOn: string;
  memberPosition: number;
}

/**
 * Registered cars and commercial housing of the household's members (DOMAIN.md §7 反向约束). For an
 * aided household each one is a commitment-violation signal.
 */
export function violationSignals(facts: readonly FeedFact[], positions: ReadonlyMap<string, number>): AssetSignal[] {
  const out: AssetSignal[] = [];
  for (const f of facts) {
    const memberPosition = positions.get(f.personIndex);
    if (memberPosition === undefined) continue;
    if (f.department === 'public_security' && f.record.status === 'registered' && f.record.vehicleType === 'car')
      out.push({
        department: f.department,
        recordId: f.recordId,
        asset: 'car',
        occurredOn: f.record.registeredOn,
        memberPosition,
      });
    if (
      f.department === 'natural_resources' &&
      f.record.status === 'registered' &&
      f.record.propertyType === 'commercial_housing'
    )
      out.push({
        department: f.department,
        recordId: f.recordId,
        asset: 'commercial_housing',
        occurredOn: f.record.purchasedOn,
        memberPosition,
      });
  }
  return out;
}

/** Member position of each blind index (the first member holding it). */
export function memberPositions(memberIndexes: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  memberIndexes.forEach((ix, i) => {
    if (ix && !m.has(ix)) m.set(ix, i);
  });
  return m;
}
