import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, auditActorOf, type Identity } from '@shouwang/kit';
import { judgeQuota, mayApprove, policyStartDate, quotaLimits, type QuotaJudgement } from '@shouwang/domain';
import type { HouseholdDoc } from '../households/household-store';
import type { CaseDoc } from './case-store';
import { applyTransition } from './case-transitions';
import { alreadyIdentified } from './identifications';
import type { WorkflowDeps } from './workflow-deps';
import { conflict } from './workflow-errors';

/**
 * On approval the household becomes a relative-poverty household with its category and causes: the
 * features of monitoring's current assessment (DOMAIN.md §6 "the features at approval"). A household
 * monitoring has not classified takes the category its poverty status implies.
 */
export async function categoryAndCauses(
  deps: Pick<WorkflowDeps, 'assessments'>,
  who: Identity,
  household: Pick<HouseholdDoc, '_id' | 'povertyStatus'>,
): Promise<{ category: string; causes: string[] }> {
  const assessment = await deps.assessments.current(who, household._id);
  const category = assessment?.category || (household.povertyStatus === 'exited_poor' ? 'unstable_exited' : 'edge');
  return { category, causes: assessment?.features ?? [] };
}

function quotaRefused(j: Extract<QuotaJudgement, { ok: false }>, used: number): AppError {
  const details = { quota: String(j.quota), hardLimit: String(j.hardLimit), used: String(used) };
  return j.code === 'quota_override_required'
    ? conflict(
        'quota_override_required',
        `approving takes the county to ${j.after} persons, beyond its quota of ${j.quota}: give an override reason`,
        `批准后全县认定人数将达${j.after}人，超过规模控制数${j.quota}人，须填写超额理由`,
        details,
      )
    : conflict(
        'quota_exceeded',
        `approving takes the county to ${j.after} persons, beyond its hard limit of ${j.hardLimit}`,
        `批准后全县认定人数将达${j.after}人，超过上限${j.hardLimit}人，不予批准`,
        details,
      );
}

/**
 * Reserves the household's places in its county's quota (DOMAIN.md §6): within Q freely, up to the hard
 * limit only with an override reason, never beyond. The reservation is one conditional write on the
 * county's ledger, so of two approvals racing for the last places exactly one gets them; the loser is
 * judged again on the new count and refused accordingly. Returns whether the override was used.
 */
export async function reserveQuota(
  deps: Pick<WorkflowDeps, 'policies' | 'quota'>,
  hold: { countyCode: string; householdId: string; caseId: string; persons: number },
  overrideReason: string,
): Promise<{ override: boolean }> {
  const policy = await deps.policies.get(hold.countyCode);
  if (policy.registeredPoorPopulation === 0)
    throw conflict(
      'quota_not_configured',
      "the county's registered poor population is not set, so it has no quota yet",
      '该县尚未设置建档立卡贫困人口数，无法确定规模控制数',
      { countyCode: hold.countyCode },
    );
  const limits = quotaLimits(policy);
  for (let attempt = 0; attempt < 10; attempt++) {
    const { used, holders } = await deps.quota.usage(hold.countyCode);
    const mine = holders[hold.householdId];
    if (mine && mine.caseId !== hold.caseId) throw alreadyIdentified(mine.caseId);
    // This case's places already: another approval of it is under way (or one crashed before its write).
    if (mine) return { override: used > limits.quota };
    const j = judgeQuota(used, hold.persons, limits, overrideReason);
    if (!j.ok) throw quotaRefused(j, used);
    const r = await deps.quota.reserve(
      hold.countyCode,
      hold.householdId,
      { caseId: hold.caseId, persons: hold.persons },
      j.override ? limits.hardLimit : limits.quota,
    );
    if (r.ok) return { override: j.override };
  }
  throw conflict('quota_contention', 'the county quota is changing quickly; retry', '全县认定名额正在变动，请重试');
}

/** How long a losing approval waits for the winning action's write (which follows its claim at once). */
const WINNER_WAIT_MS = 5000;

/** The case once it has left `current.version`, or as it is after WINNER_WAIT_MS. */
async function caseAfter(deps: Pick<WorkflowDeps, 'cases'>, current: CaseDoc): Promise<CaseDoc | null> {
  const until = Date.now() + WINNER_WAIT_MS;
  for (;;) {
    const now = await deps.cases.get(current._id);
    if (!now || now.version !== current.version || Date.now() >= until) return now;
    await sleep(25);
  }
}

/**
 * County approval (县级审批): separation of duties, the quota reservation, the versioned move to
 * approved (if another action won meanwhile, the places go back), then the household's identification
 * with its HouseholdIdentified event.
 */
export async function approveCase(
  deps: WorkflowDeps,
  who: Identity,
  current: CaseDoc,
  req: { overrideReason: string; note: string },
): Promise<CaseDoc> {
  const verifiers = current.steps
    .filter((s) => s.action === 'verify' || s.action === 'review')
    .map((s) => s.actorUsername);
  if (!mayApprove(who.username, verifiers))
    throw new AppError('permission_denied', 'the same person may not verify and approve one case', {
      code: 'same_person',
      messageZh: '同一人不得既核实又审批同一案件',
    });
  const status = await deps.identifications.get(current.householdId);
  if (status?.status === 'identified') throw alreadyIdentified(status.caseId);
  const household = await deps.households.get(current.householdId);
  if (!household) throw new AppError('internal', 'the case names a household that does not exist');
  const { category, causes } = await categoryAndCauses(deps, who, household);

  const overrideReason = req.overrideReason.trim();
  const { override } = await reserveQuota(
    deps,
    { countyCode: current.countyCode, householdId: current.householdId, caseId: current._id, persons: current.persons },
    overrideReason,
  );
  const startDate = policyStartDate(deps.clock.today());
  let approved: CaseDoc;
  try {
    approved = await applyTransition(deps, who, current, {
      action: 'approve',
      to: 'approved',
      note: req.note.trim() || (override ? overrideReason : ''),
      change: { category, causes, policyStartDate: startDate, overrideReason: override ? overrideReason : '' },
    });
  } catch (err) {
    // Lost the race to another action. The places stay only if that action was this case's approval
    // (two approvals of one case share the reservation, whichever of them made it). The winner may hold
    // its claim on the case without having written yet, so its outcome is awaited first.
    if ((await caseAfter(deps, current))?.state !== 'approved')
      await deps.quota.release(current.countyCode, current.householdId, current._id);
    throw err;
  }
  await deps.identifications.identify(
    {
      householdId: current.householdId,
      areaCode: current.areaCode,
      countyCode: current.countyCode,
      caseId: current._id,
      category,
      causes,
      persons: current.persons,
      policyStartDate: startDate,
      direct: false,
    },
    auditActorOf(who),
  );
  return approved;
}
