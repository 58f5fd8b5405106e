import { assessHousehold, computeIdChecksum, type Household } from '@shouwang/domain';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { validateFeedRecord } from '../feeds/feed-records';
import { applyFeedFacts, violationSignals, memberPositions, type FeedFact } from './overlay';

const ID = syntheticIdNumber(7, '2010-05-01');
/** The same number with a wrong check character. */
const BAD_ID = ID.slice(0, 17) + (computeIdChecksum(ID.slice(0, 17)) === '1' ? '2' : '1');

/** A validated record of a department as stored (no ID number), about the person with index `person`. */
function fact(
  department: FeedFact['department'],
  record: Record<string, unknown>,
  person = 'p-child',
  receivedAt = '2021-06-01T00:00:00Z',
): FeedFact {
  const r = validateFeedRecord(department, { idNumber: ID, ...record });
  if (!r.ok) throw new Error(`bad test record: ${JSON.stringify(r.issues)}`);
  const { idNumber: _id, ...rest } = r.value.record;
  return { department, recordId: rest.recordId, personIndex: person, receivedAt, record: rest } as unknown as FeedFact;
}

const household = (): Household => ({
  areaCode: '360731101201',
  address: '于都县某村',
  povertyStatus: 'none',
  members: [
    { name: '户主', relation: 'head', birthDate: '1980-01-01', labour: 'ordinary', employed: false, health: 'healthy' },
    { name: '孩子', relation: 'child', birthDate: '2010-05-01', inSchool: true, education: 'primary' },
  ],
  income: { year: 2021, wage: 3000, business: 0, property: 0, transfer: 1000 },
  expenses: { medicalSelfPaid: 100 },
  medicalInsuranceEnrolled: true,
  industry: { covered: false, failedDueToForceMajeure: false },
});
const indexes = ['p-head', 'p-child'];

describe('applyFeedFacts: a department’s latest fact replaces the registry’s value', () => {
  const cases: [string, FeedFact[], (h: Household) => unknown, unknown][] = [
    [
      'education dropout → member not in school',
      [fact('education', { recordId: 'e1', status: 'dropped_out', effectiveOn: '2021-03-01' })],
      (h) => h.members[1].inSchool,
      false,
    ],
    [
      'the later of two education records wins (re-enrolled)',
      [
        fact('education', { recordId: 'e1', status: 'dropped_out', effectiveOn: '2021-03-01' }),
        fact('education', { recordId: 'e2', status: 'enrolled', stage: 'junior', effectiveOn: '2021-09-01' }),
      ],
      (h) => [h.members[1].inSchool, h.members[1].education],
      [true, 'junior'],
    ],
    [
      'employment → member employed',
      [fact('human_resources', { recordId: 'h1', status: 'employed', effectiveOn: '2021-02-01' }, 'p-head')],
      (h) => h.members[0].employed,
      true,
    ],
    [
      'disability certificate issued → health disabled with its grade',
      [
        fact(
          'disabled_persons_federation',
          { recordId: 'd1', status: 'issued', grade: 2, effectiveOn: '2021-01-05' },
          'p-head',
        ),
      ],
      (h) => [h.members[0].health, h.members[0].disabilityGrade],
      ['disabled', 2],
    ],
    [
      'medical expenses of the income year replace medicalSelfPaid; serious illness sets health',
      [
        fact(
          'medical_insurance',
          { recordId: 'm1', year: 2021, selfPaid: 1234.5, seriousIllness: true, occurredOn: '2021-04-01' },
          'p-head',
        ),
        fact('medical_insurance', { recordId: 'm2', year: 2021, selfPaid: 0.5, occurredOn: '2021-04-02' }),
        fact('medical_insurance', { recordId: 'm3', year: 2020, selfPaid: 99999, occurredOn: '2020-04-02' }),
      ],
      (h) => [h.expenses?.medicalSelfPaid, h.members[0].health],
      [1235, 'serious_illness'],
    ],
    [
      'a member not insured → household not fully enrolled',
      [fact('medical_insurance', { recordId: 'm1', year: 2021, insured: false, occurredOn: '2021-01-01' })],
      (h) => h.medicalInsuranceEnrolled,
      false,
    ],
    [
      'an emergency record is a shock of the household',
      [
        fact(
          'emergency_management',
          { recordId: 's1', type: 'disaster', occurredOn: '2021-05-01', expense: 5000 },
          'p-head',
        ),
      ],
      (h) => h.shocks?.map((s) => [s.type, s.date, s.expense]),
      [['disaster', '2021-05-01', 5000]],
    ],
    [
      'dibao granted is a floor of transfer income, not an addition',
      [
        fact(
          'civil_affairs',
          { recordId: 'c1', status: 'granted', annualAmount: 2400, effectiveOn: '2021-01-01' },
          'p-head',
        ),
      ],
      (h) => h.income?.transfer,
      2400,
    ],
    [
      'dibao below the recorded transfer changes nothing',
      [
        fact(
          'civil_affairs',
          { recordId: 'c1', status: 'granted', annualAmount: 800, effectiveOn: '2021-01-01' },
          'p-head',
        ),
      ],
      (h) => h.income?.transfer,
      1000,
    ],
    [
      'a registered car → assets.car',
      [
        fact(
          'public_security',
          { recordId: 'v1', status: 'registered', vehicleType: 'car', registeredOn: '2021-05-01' },
          'p-head',
        ),
      ],
      (h) => h.assets?.car,
      true,
    ],
    [
      'a motorcycle is no car',
      [
        fact(
          'public_security',
          { recordId: 'v1', status: 'registered', vehicleType: 'motorcycle', registeredOn: '2021-05-01' },
          'p-head',
        ),
      ],
      (h) => h.assets?.car,
      undefined,
    ],
    [
      'facts about someone outside the household change nothing',
      [fact('education', { recordId: 'e1', status: 'dropped_out', effectiveOn: '2021-03-01' }, 'p-stranger')],
      (h) => h.members[1].inSchool,
      true,
    ],
  ];
  it.each(cases)('%s', (_name, facts, pick, expected) => {
    const before = household();
    const { household: after, applied } = applyFeedFacts(before, indexes, facts);
    expect(pick(after)).toEqual(expected);
    expect(before).toEqual(household()); // the registry's copy is untouched
    if (expected !== undefined && pick(after) !== pick(before)) expect(applied.length).toBeGreaterThan(0);
  });

  it('turns an education dropout of a 6–15-year-old into the school_dropout warning', () => {
    const facts = [fact('education', { recordId: 'e1', status: 'dropped_out', effectiveOn: '2021-03-01' })];
    const plain = assessHousehold(household(), { asOf: '2021-06-30' });
    const overlaid = assessHousehold(applyFeedFacts(household(), indexes, facts).household, { asOf: '2021-06-30' });
    expect(plain.ok && plain.result.warnings).toEqual([]);
    expect(overlaid.ok && overlaid.result.warnings).toEqual(['school_dropout']);
  });

  it('keeps the overlaid household valid for the assessment (disability revoked, grade dropped)', () => {
    const registry = household();
    registry.members[0] = { ...registry.members[0], health: 'disabled', disabilityGrade: 1 };
    const facts = [
      fact('disabled_persons_federation', { recordId: 'd2', status: 'revoked', effectiveOn: '2021-01-05' }, 'p-head'),
    ];
    const { household: h } = applyFeedFacts(registry, indexes, facts);
    expect(h.members[0].health).toBeUndefined();
    expect(h.members[0].disabilityGrade).toBeUndefined();
    expect(assessHousehold(h, { asOf: '2021-06-30' }).ok).toBe(true);
  });

  it('an older certificate record does not undo a newer one', () => {
    const facts = [
      fact('disabled_persons_federation', { recordId: 'd2', status: 'revoked', effectiveOn: '2020-01-05' }, 'p-head'),
      fact(
        'disabled_persons_federation',
        { recordId: 'd1', status: 'issued', grade: 3, effectiveOn: '2021-01-05' },
        'p-head',
      ),
    ];
    expect(applyFeedFacts(household(), indexes, facts).household.members[0].health).toBe('disabled');
  });
});

describe('violationSignals', () => {
  it('signals registered cars and commercial housing of members only', () => {
    const facts = [
      fact(
        'public_security',
        { recordId: 'v1', status: 'registered', vehicleType: 'car', registeredOn: '2021-05-01' },
        'p-head',
      ),
      fact(
        'public_security',
        { recordId: 'v2', status: 'deregistered', vehicleType: 'car', registeredOn: '2021-05-01' },
        'p-head',
      ),
      fact('natural_resources', {
        recordId: 'r1',
        status: 'registered',
        propertyType: 'commercial_housing',
        purchasedOn: '2021-02-01',
      }),
      fact('natural_resources', {
        recordId: 'r2',
        status: 'registered',
        propertyType: 'self_built',
        purchasedOn: '2021-02-01',
      }),
      fact(
        'public_security',
        { recordId: 'v3', status: 'registered', vehicleType: 'car', registeredOn: '2021-05-01' },
        'p-other',
      ),
    ];
    expect(violationSignals(facts, memberPositions(indexes))).toEqual([
      { department: 'public_security', recordId: 'v1', asset: 'car', occurredOn: '2021-05-01', memberPosition: 0 },
      {
        department: 'natural_resources',
        recordId: 'r1',
        asset: 'commercial_housing',
        occurredOn: '2021-02-01',
        memberPosition: 1,
      },
    ]);
  });
});

describe('validateFeedRecord', () => {
  it.each([
    ['education', { recordId: 'e1', idNumber: ID, status: 'left', effectiveOn: '2021-03-01' }, 'status'],
    ['education', { recordId: 'e1', idNumber: BAD_ID, status: 'enrolled', effectiveOn: '2021-03-01' }, 'idNumber'],
    ['education', { recordId: 'e1', idNumber: ID, status: 'enrolled', effectiveOn: '2021-02-30' }, 'effectiveOn'],
    ['education', { idNumber: ID, status: 'enrolled', effectiveOn: '2021-03-01' }, 'recordId'],
    ['education', { recordId: 'e1', idNumber: ID, status: 'enrolled', effectiveOn: '2021-03-01', x: 1 }, 'x'],
    ['civil_affairs', { recordId: 'c1', idNumber: ID, status: 'granted', effectiveOn: '2021-03-01' }, 'annualAmount'],
    [
      'medical_insurance',
      { recordId: 'm1', idNumber: ID, year: 2021, selfPaid: 1.234, occurredOn: '2021-03-01' },
      'selfPaid',
    ],
  ] as const)('%s: a bad record names %s… (%#)', (department, record, field) => {
    const r = validateFeedRecord(department, record, 'records[0].');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field)).toContain(`records[0].${field}`);
      for (const i of r.issues) expect(i.message).not.toContain(ID.slice(0, 17));
    }
  });
});
