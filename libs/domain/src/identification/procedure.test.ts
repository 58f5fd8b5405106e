import fc from 'fast-check';
import { ROLES, type Role } from '../access/roles';
import {
  actionsFor,
  allowedActions,
  CASE_ACTIONS,
  CASE_KINDS,
  decideAction,
  EXIT_STATES,
  FINAL_STATES,
  IDENTIFICATION_STATES,
  isCaseState,
  mayApprove,
  stateAfterObjection,
  stateAfterVote,
  type CaseKind,
  type CaseState,
} from './procedure';

/**
 * The procedure of DOMAIN.md §6 and §7 written out independently of procedure.ts, one row per legal
 * (kind, state, action): who takes it, where it leads, whether a reason is required. Every other
 * combination must be refused.
 */
type Row = [CaseKind, CaseState, string, Role, CaseState, boolean];
const V: Role = 'village_cadre';
const T: Role = 'township_officer';
const C: Role = 'county_officer';
const LEGAL: Row[] = [
  ['identification', 'returned', 'resubmit', V, 'village_verification', false],
  ['identification', 'returned', 'reject', V, 'rejected', true],
  ['identification', 'village_verification', 'verify', V, 'in_notice', false],
  ['identification', 'village_verification', 'reject', V, 'rejected', true],
  ['identification', 'village_verification', 'return', V, 'returned', true],
  ['identification', 'in_notice', 'lodge_objection', V, 'in_notice', false],
  ['identification', 'in_notice', 'resolve_objection', V, 'in_notice', false],
  ['identification', 'in_notice', 'close_notice', V, 'township_review', false],
  ['identification', 'in_notice', 'reject', V, 'rejected', true],
  ['identification', 'in_notice', 'return', V, 'village_verification', true],
  ['identification', 'township_review', 'review', T, 'county_review', false],
  ['identification', 'township_review', 'reject', T, 'rejected', true],
  ['identification', 'township_review', 'return', T, 'village_verification', true],
  ['identification', 'county_review', 'approve', C, 'approved', false],
  ['identification', 'county_review', 'reject', C, 'rejected', true],
  ['identification', 'county_review', 'return', C, 'township_review', true],
  ['exit', 'vote', 'record_vote', V, 'in_notice', false],
  ['exit', 'vote', 'reject', V, 'retained', true],
  ['exit', 'in_notice', 'lodge_objection', V, 'in_notice', false],
  ['exit', 'in_notice', 'resolve_objection', V, 'in_notice', false],
  ['exit', 'in_notice', 'close_notice', V, 'inform', false],
  ['exit', 'in_notice', 'reject', V, 'retained', true],
  ['exit', 'inform', 'inform', V, 'exited', false],
];

const STATES: Record<CaseKind, readonly CaseState[]> = { identification: IDENTIFICATION_STATES, exit: EXIT_STATES };
const legal = (kind: CaseKind, state: CaseState, action: string) =>
  LEGAL.find(([k, s, a]) => k === kind && s === state && a === action);
const expectedAllowed = (kind: CaseKind, state: CaseState) =>
  LEGAL.filter(([k, s]) => k === kind && s === state).map(([, , a]) => a);

const ACTIONS = [...CASE_ACTIONS, 'start_exit', 'include_directly', 'delete', ''];
const EVERY: [CaseKind, CaseState, string, Role][] = CASE_KINDS.flatMap((kind) =>
  STATES[kind].flatMap((state) =>
    ACTIONS.flatMap((action) =>
      ROLES.map((role) => [kind, state, action, role] as [CaseKind, CaseState, string, Role]),
    ),
  ),
);

describe('decideAction: every kind × state × action × role', () => {
  it('covers the whole cross product', () => {
    expect(EVERY).toHaveLength((IDENTIFICATION_STATES.length + EXIT_STATES.length) * ACTIONS.length * ROLES.length);
  });

  it.each(EVERY)('%s / %s / %s by %s', (kind, state, action, role) => {
    const row = legal(kind, state, action);
    const d = decideAction(kind, state, action, role);
    if (!row) {
      expect(d).toEqual({ ok: false, code: 'illegal_transition', state, allowed: expect.any(Array) });
      if (!d.ok && d.code === 'illegal_transition')
        expect([...d.allowed].sort()).toEqual(expectedAllowed(kind, state).sort());
    } else if (row[3] !== role) {
      expect(d).toEqual({ ok: false, code: 'wrong_role', state, by: row[3] });
    } else {
      expect(d).toEqual({ ok: true, to: row[4], by: row[3], needsReason: row[5] });
    }
  });
});

describe('allowedActions and actionsFor', () => {
  it.each(CASE_KINDS.flatMap((k) => STATES[k].map((s) => [k, s] as [CaseKind, CaseState])))(
    '%s / %s lists exactly the legal actions',
    (kind, state) => {
      expect([...allowedActions(kind, state)].sort()).toEqual(expectedAllowed(kind, state).sort());
      for (const role of ROLES)
        expect([...actionsFor(kind, state, role)].sort()).toEqual(
          LEGAL.filter(([k, s, , r]) => k === kind && s === state && r === role)
            .map(([, , a]) => a)
            .sort(),
        );
    },
  );

  it('final states allow nothing', () => {
    for (const kind of CASE_KINDS) for (const s of FINAL_STATES[kind]) expect(allowedActions(kind, s)).toEqual([]);
  });

  it('every reject and return needs a reason, nothing else does', () => {
    for (const [, , action, , , needsReason] of LEGAL)
      expect(needsReason).toBe(action === 'reject' || action === 'return');
  });

  it('department officers, city administrators and auditors never act on a case', () => {
    for (const kind of CASE_KINDS)
      for (const s of STATES[kind])
        for (const role of ['department_officer', 'city_admin', 'auditor'] as const)
          expect(actionsFor(kind, s, role)).toEqual([]);
  });

  it('from every state a final state can be reached', () => {
    for (const kind of CASE_KINDS) {
      const finals = new Set<CaseState>(FINAL_STATES[kind]);
      for (const start of STATES[kind]) {
        const seen = new Set<CaseState>([start]);
        const queue: CaseState[] = [start];
        while (queue.length) {
          const s = queue.shift()!;
          for (const [k, from, , , to] of LEGAL)
            if (k === kind && from === s && !seen.has(to)) {
              seen.add(to);
              queue.push(to);
            }
        }
        expect([...seen].some((s) => finals.has(s))).toBe(true);
      }
    }
  });
});

describe('isCaseState', () => {
  it.each([
    ['identification', 'county_review', true],
    ['identification', 'vote', false],
    ['exit', 'vote', true],
    ['exit', 'county_review', false],
    ['exit', 'in_notice', true],
    ['identification', 'in_notice', true],
    ['identification', 'toString', false],
    ['identification', '', false],
  ] as const)('%s / %s → %s', (kind, state, expected) => {
    expect(isCaseState(kind, state)).toBe(expected);
  });
});

describe('objections, votes and separation of duties', () => {
  it.each([
    ['identification', 'upheld', 'rejected'],
    ['identification', 'dismissed', 'in_notice'],
    ['exit', 'upheld', 'retained'],
    ['exit', 'dismissed', 'in_notice'],
  ] as const)('%s objection %s → %s', (kind, resolution, to) => {
    expect(stateAfterObjection(kind, resolution)).toBe(to);
  });

  it('a passed vote opens the exit notice, a failed one keeps the household identified', () => {
    expect(stateAfterVote(true)).toBe('in_notice');
    expect(stateAfterVote(false)).toBe('retained');
  });

  it.each([
    ['county.a', [], true],
    ['county.a', ['cadre.a', 'township.a'], true],
    ['cadre.a', ['cadre.a', 'township.a'], false],
    ['township.a', ['cadre.a', 'township.a'], false],
  ])('mayApprove(%s, %j) = %s', (approver, verifiers, expected) => {
    expect(mayApprove(approver, verifiers)).toBe(expected);
  });

  it('mayApprove is false exactly when the approver took an earlier step', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (approver, verifiers) => {
        expect(mayApprove(approver, verifiers)).toBe(!verifiers.includes(approver));
      }),
    );
  });
});
