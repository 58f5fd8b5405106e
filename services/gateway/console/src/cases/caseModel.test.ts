// The case pages' view model (root jest, node environment).
import { CASE_ACTIONS, EXIT_STATES, IDENTIFICATION_STATES } from '@shouwang/domain';
import { ApiError } from '../api/client';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import type { QuotaStatus } from '../api/quota';
import {
  actionInput,
  applicationOf,
  buttonActions,
  classifyFailure,
  countiesFor,
  daysLeft,
  defaultBoardState,
  formActions,
  noticeStage,
  quotaGauge,
  recentQuarters,
  unresolvedObjections,
  voteVerdict,
} from './caseModel';
import { actionLabel, actionList, categoryLabel, originLabel, roleLabel, stateLabel } from './labels';

describe('buttons per role and state follow the procedure table', () => {
  test.each([
    ['identification', 'village_verification', 'village_cadre', ['verify', 'return', 'reject']],
    ['identification', 'village_verification', 'township_officer', []],
    ['identification', 'in_notice', 'village_cadre', ['close_notice', 'return', 'reject']],
    ['identification', 'township_review', 'township_officer', ['review', 'return', 'reject']],
    ['identification', 'township_review', 'county_officer', []],
    ['identification', 'county_review', 'county_officer', ['approve', 'return', 'reject']],
    ['identification', 'returned', 'village_cadre', ['resubmit', 'reject']],
    ['identification', 'approved', 'county_officer', []],
    ['identification', 'county_review', 'auditor', []],
    ['exit', 'vote', 'village_cadre', ['reject']],
    ['exit', 'in_notice', 'village_cadre', ['close_notice', 'reject']],
    ['exit', 'inform', 'village_cadre', ['inform']],
    ['exit', 'exited', 'village_cadre', []],
  ] as const)('%s / %s / %s → %j', (kind, state, role, expected) => {
    expect(buttonActions(kind, state, role)).toEqual(expected);
  });

  test('objections and the vote are forms, offered to the village cadre only', () => {
    expect(formActions('identification', 'in_notice', 'village_cadre')).toEqual({
      lodgeObjection: true,
      resolveObjection: true,
      recordVote: false,
    });
    expect(formActions('identification', 'in_notice', 'county_officer')).toEqual({
      lodgeObjection: false,
      resolveObjection: false,
      recordVote: false,
    });
    expect(formActions('exit', 'vote', 'village_cadre').recordVote).toBe(true);
  });

  test.each([
    ['identification', 'village_cadre', 'village_verification'],
    ['identification', 'township_officer', 'township_review'],
    ['identification', 'county_officer', 'county_review'],
    ['identification', 'auditor', 'village_verification'],
    ['identification', 'city_admin', 'village_verification'],
    ['exit', 'village_cadre', 'vote'],
    ['exit', 'county_officer', 'vote'],
  ] as const)('the %s board opens for a %s on %s', (kind, role, state) => {
    expect(defaultBoardState(kind, role)).toBe(state);
  });

  test('reject and return ask for a reason, inform for a note, the rest for nothing', () => {
    expect(actionInput('reject')).toBe('reason');
    expect(actionInput('return')).toBe('reason');
    expect(actionInput('inform')).toBe('note');
    expect(actionInput('verify')).toBe('none');
    expect(actionInput('approve')).toBe('none');
  });
});

describe('failures of an action', () => {
  const err = (status: number, code: string, extra: Record<string, unknown> = {}) =>
    new ApiError(status, { code, message: code, ...extra } as never);

  test('the quota asks for an override reason, with its numbers (sent as numbers or text)', () => {
    expect(
      classifyFailure(err(409, 'quota_override_required', { details: { quota: 10, hardLimit: '11', used: 9 } })),
    ).toEqual({ kind: 'override_required', quota: 10, hardLimit: 11, used: 9 });
    expect(classifyFailure(err(409, 'quota_exceeded', { details: {} }))).toEqual({
      kind: 'quota_exceeded',
      quota: undefined,
      hardLimit: undefined,
      used: undefined,
    });
  });

  test('an illegal transition names the state and what may be done now', () => {
    expect(
      classifyFailure(
        err(409, 'illegal_transition', { details: { state: 'township_review', allowedActions: ['review', 'reject'] } }),
      ),
    ).toEqual({ kind: 'illegal_transition', state: 'township_review', allowed: ['review', 'reject'] });
    expect(
      classifyFailure(err(409, 'illegal_transition', { details: { state: 'approved', allowedActions: 'a, b' } })),
    ).toEqual({ kind: 'illegal_transition', state: 'approved', allowed: ['a', 'b'] });
    expect(classifyFailure(err(409, 'illegal_transition'))).toEqual({
      kind: 'illegal_transition',
      state: undefined,
      allowed: [],
    });
  });

  test('412 is a version conflict; 403 a matter of role, scope or person; 400 names its field', () => {
    expect(classifyFailure(err(412, 'version_conflict'))).toEqual({ kind: 'version_conflict' });
    expect(classifyFailure(err(403, 'same_person'))).toEqual({ kind: 'forbidden' });
    expect(classifyFailure(err(400, 'required', { field: 'reason' }))).toEqual({ kind: 'field', field: 'reason' });
    expect(classifyFailure(err(409, 'notice_not_ended'))).toEqual({ kind: 'other' });
    expect(classifyFailure(new Error('boom'))).toEqual({ kind: 'other' });
  });
});

describe('notice, objections, due dates', () => {
  const notice = { startDate: '2026-03-02', endDate: '2026-03-06', days: 5 };
  test.each([
    ['2026-03-01', 'running'],
    ['2026-03-06', 'running'],
    ['2026-03-07', 'ended'],
  ] as const)('on %s the notice is %s', (today, stage) => {
    expect(noticeStage(notice, today)).toBe(stage);
  });
  test('a closed or absent notice', () => {
    expect(noticeStage({ ...notice, closedAt: '2026-03-07T02:00:00Z' }, '2026-03-07')).toBe('closed');
    expect(noticeStage(undefined, '2026-03-07')).toBe('none');
    expect(noticeStage(null, '2026-03-07')).toBe('none');
  });
  test('unresolved objections are those without a resolution', () => {
    expect(
      unresolvedObjections({
        objections: [
          { id: 'a', lodgedOn: '2026-03-02', summary: 'x', resolution: '' },
          { id: 'b', lodgedOn: '2026-03-02', summary: 'y', resolution: 'dismissed' },
          { id: 'c', lodgedOn: '2026-03-03', summary: 'z' },
        ],
      }),
    ).toBe(2);
    expect(unresolvedObjections({})).toBe(0);
  });
  test('days left to the decision limit; none once decided or for exits', () => {
    expect(daysLeft({ dueOn: '2026-03-16' }, '2026-03-01')).toBe(15);
    expect(daysLeft({ dueOn: '2026-03-16' }, '2026-03-18')).toBe(-2);
    expect(daysLeft({ dueOn: '2026-03-16', decidedAt: '2026-03-10T00:00:00Z' }, '2026-03-18')).toBeNull();
    expect(daysLeft({ dueOn: '' }, '2026-03-18')).toBeNull();
  });
});

describe('the application form', () => {
  test('from a warning: origin warning, both consents, the references as documents', () => {
    expect(
      applicationOf(
        {
          commitmentSigned: true,
          assetCheckAuthorised: true,
          commitmentReference: ' CN-2026-01 ',
          authorisationReference: '',
        },
        { householdId: 'h1', warningId: 'w1' },
      ),
    ).toEqual({
      householdId: 'h1',
      origin: 'warning',
      warningId: 'w1',
      commitmentSigned: true,
      assetCheckAuthorised: true,
      documents: [{ kind: 'commitment', reference: 'CN-2026-01' }],
    });
  });
  test("on the household's own request; an unticked consent is sent as false (the server names it)", () => {
    expect(applicationOf({ commitmentSigned: true }, { householdId: 'h2' })).toEqual({
      householdId: 'h2',
      origin: 'household_request',
      commitmentSigned: true,
      assetCheckAuthorised: false,
    });
  });
});

describe('the vote, judged while typed (DOMAIN.md §7)', () => {
  const v = (members: number, present: number, votesFor: number, votesAgainst = 0, abstentions = 0) =>
    voteVerdict({ members, present, votesFor, votesAgainst, abstentions });
  test('incomplete until every count is there', () => {
    expect(voteVerdict({ members: 9, present: 6 })).toEqual({ complete: false });
    expect(voteVerdict({ members: 9, present: 6, votesFor: 4, votesAgainst: null, abstentions: 0 })).toEqual({
      complete: false,
    });
  });
  test.each([
    [9, 6, 4, true, true], // quorum exactly 2/3; 4 > 3
    [9, 6, 3, true, false], // exactly half is not more than half
    [9, 5, 5, false, false], // 15 < 18: no quorum
    [10, 7, 4, true, true],
  ])('%i members, %i present, %i for → quorum %s, passed %s', (members, present, votesFor, quorum, passed) => {
    expect(v(members, present, votesFor)).toEqual({ complete: true, problems: [], quorum, passed });
  });
  test('impossible counts are problems, not a verdict', () => {
    const r = v(9, 10, 4);
    expect(r.complete && r.problems.map((p) => p.field)).toEqual(['present']);
    const r2 = v(9, 6, 4, 2, 1);
    expect(r2.complete && r2.problems.map((p) => p.code)).toEqual(['more_votes_than_present']);
  });
});

test('quarters: the current one first, then back across the year boundary', () => {
  expect(recentQuarters('2026-02-15')).toEqual(['2026Q1', '2025Q4', '2025Q3', '2025Q2']);
  expect(recentQuarters('2026-12-31', 2)).toEqual(['2026Q4', '2026Q3']);
});

test('counties: every county of the city for a city user, else the own county', () => {
  const city = countiesFor('3607');
  expect(city).toContain('360731');
  expect(city.length).toBeGreaterThan(10);
  expect(city.every((c) => c.startsWith('3607') && c.length === 6)).toBe(true);
  expect(countiesFor('360731')).toEqual(['360731']);
  expect(countiesFor('360731101201')).toEqual(['360731']);
});

describe('the quota gauge', () => {
  const status = (used: number, pendingPersons: number, quota = 100, hardLimit = 110): QuotaStatus => ({
    countyCode: '360731',
    registeredPoorPopulation: quota * 20,
    quota,
    hardLimit,
    used,
    remaining: quota - used,
    pendingPersons,
    pendingCases: pendingPersons ? 1 : 0,
    configured: quota > 0,
  });
  test.each([
    [40, 10, 40, 50, 'ok', 60, 70],
    [85, 5, 85, 90, 'tight', 15, 25],
    [100, 0, 100, 100, 'tight', 0, 10],
    [98, 5, 98, 100, 'pendingOver', 2, 12],
    [105, 0, 100, 100, 'over', 0, 5],
  ] as const)('used %i pending %i → %f%% / %f%% %s', (used, pending, usedPct, allPct, level, free, freeHard) => {
    expect(quotaGauge(status(used, pending))).toEqual({
      usedPercent: usedPct,
      withPendingPercent: allPct,
      level,
      freeUnderQuota: free,
      freeUnderHardLimit: freeHard,
    });
  });
  test('a county without quota: empty gauge, nothing free', () => {
    expect(quotaGauge(status(0, 0, 0, 0))).toEqual({
      usedPercent: 0,
      withPendingPercent: 0,
      level: 'ok',
      freeUnderQuota: 0,
      freeUnderHardLimit: 0,
    });
  });
});

describe('labels', () => {
  test('states per kind, actions, origins, roles in both languages; unknown values as themselves', () => {
    expect(stateLabel(zh, 'identification', 'county_review')).toBe('县级审批');
    expect(stateLabel(en, 'identification', 'county_review')).toBe('County approval');
    expect(stateLabel(zh, 'exit', 'in_notice')).toBe('退出公示');
    expect(stateLabel(zh, 'identification', 'in_notice')).toBe('村内公示');
    expect(stateLabel(zh, 'exit', 'someday')).toBe('someday');
    expect(stateLabel(zh, 'exit', 'toString')).toBe('toString');
    expect(actionLabel(zh, 'approve')).toBe('审批通过');
    expect(actionLabel(en, 'start_exit')).toBe('Start exit');
    expect(actionList(zh, ['review', 'reject'], 'zh')).toBe('复核通过、驳回');
    expect(actionList(en, ['review', 'reject'], 'en')).toBe('Review, Reject');
    expect(originLabel(zh, 'warning')).toBe('预警转申请');
    expect(categoryLabel(en, 'edge')).toBe('Edge household at risk');
    expect(categoryLabel(en, '')).toBe('');
    expect(roleLabel('county_officer', 'zh')).toBe('县扶贫办');
    expect(roleLabel('robot', 'en')).toBe('robot');
  });

  test('every state and action of the procedure has a name in both languages', () => {
    for (const kind of ['identification', 'exit'] as const)
      for (const s of kind === 'identification' ? IDENTIFICATION_STATES : EXIT_STATES) {
        expect(stateLabel(zh, kind, s)).not.toBe(s);
        expect(stateLabel(en, kind, s)).not.toBe(s);
      }
    for (const a of CASE_ACTIONS) {
      expect(actionLabel(zh, a)).not.toBe(a);
      expect(actionLabel(en, a)).not.toBe(a);
    }
  });
});
