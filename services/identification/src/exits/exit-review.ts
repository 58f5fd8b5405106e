/**
 * Exits (退出, DOMAIN.md §7): the quarterly review list of a village (集中研判), the start of a
 * household's exit, and the village representative assembly's vote. The rest of an exit (notice,
 * objections, telling the household) moves through ActOnCase like any case.
 */
import type { identificationV1 } from '@shouwang/contracts';
import { AppError, requireInScope, requirePermission, type FieldIssue, type Identity } from '@shouwang/kit';
import {
  areaLevel,
  isQuarter,
  isValidDate,
  judgeVote,
  noticePeriod,
  proposedForExit,
  quarterOf,
  stateAfterVote,
  voteProblems,
  type VoteCount,
} from '@shouwang/domain';
import type { CaseDoc } from '../workflow/case-store';
import { createCase, applyTransition } from '../workflow/case-transitions';
import { householdFacts, noteIssue } from '../workflow/case-documents';
import { caseToActOn, requireAllowed } from '../workflow/act-on-case';
import type { IdentificationDoc } from '../workflow/identifications';
import type { WorkflowDeps } from '../workflow/workflow-deps';
import { CaseStore } from '../workflow/case-store';
import { conflict, householdNotFound, invalid } from '../workflow/workflow-errors';

function quarterOrNow(deps: WorkflowDeps, quarter: string): string {
  if (!quarter) return quarterOf(deps.clock.today());
  if (!isQuarter(quarter)) throw invalid('quarter', 'invalid_quarter', 'a quarter like 2026Q4', '季度格式应为 2026Q4');
  return quarter;
}

/** The exit case of a household for a quarter (the newest), if one was started. */
async function exitCaseOf(deps: WorkflowDeps, householdId: string, quarter: string): Promise<CaseDoc | undefined> {
  return (await deps.cases.ofHousehold(householdId)).find((c) => c.kind === 'exit' && c.quarter === quarter);
}

interface Judged {
  identification: IdentificationDoc;
  assessment: Awaited<ReturnType<WorkflowDeps['assessments']['current']>>;
  proposed: boolean;
}

async function judge(deps: WorkflowDeps, who: Identity, identification: IdentificationDoc): Promise<Judged> {
  const assessment = await deps.assessments.current(who, identification._id);
  return { identification, assessment, proposed: proposedForExit(identification.causes, assessment) };
}

/**
 * GetExitReviewList: the village's identified households whose causes no longer trigger and whose
 * income is not below the line (monitoring's current assessment), each with the exit case started
 * for it this quarter. Households with an exit under way stay on the list until it ends.
 */
export async function exitReviewList(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.GetExitReviewListRequest,
): Promise<identificationV1.GetExitReviewListResponse> {
  requirePermission(who, 'cases.read');
  if (areaLevel(req.villageCode) !== 'village')
    throw invalid('villageCode', 'invalid_area', 'a 12-digit village code', '须为12位行政村代码');
  const quarter = quarterOrNow(deps, req.quarter);
  requireInScope(who, req.villageCode, 'village');
  const identified = await deps.identifications.identifiedIn(req.villageCode);
  const judged = await Promise.all(identified.map((i) => judge(deps, who, i)));
  const candidates: identificationV1.ExitCandidate[] = [];
  for (const j of judged) {
    const exitCase = await exitCaseOf(deps, j.identification._id, quarter);
    if (!j.proposed && !exitCase?.open) continue;
    const household = await deps.households.get(j.identification._id);
    if (!household) continue;
    const facts = householdFacts(household);
    candidates.push({
      householdId: household._id,
      headName: facts.headName,
      address: facts.address,
      persons: facts.persons,
      causes: j.identification.causes,
      currentFeatures: j.assessment?.features ?? [],
      incomeBelowLine: j.assessment?.incomeBelowLine ?? false,
      perCapitaIncome: j.assessment?.perCapitaIncome ?? 0,
      monitoringLine: j.assessment?.monitoringLine ?? 0,
      exitCaseId: exitCase?._id ?? '',
      exitCaseState: exitCase?.state ?? '',
    });
  }
  candidates.sort((a, b) => a.headName.localeCompare(b.headName, 'zh') || a.householdId.localeCompare(b.householdId));
  return { quarter, candidates, retained: identified.length - candidates.length };
}

/** StartExit: a household on this quarter's review list goes to the assembly's vote. */
export async function startExit(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.StartExitRequest,
): Promise<CaseDoc> {
  requirePermission(who, 'cases.submit');
  const quarter = quarterOrNow(deps, req.quarter);
  const household = req.householdId ? await deps.households.get(req.householdId) : null;
  if (!household) throw householdNotFound();
  requireInScope(who, household.areaCode, 'household');
  const identification = await deps.identifications.get(household._id);
  if (identification?.status !== 'identified')
    throw conflict('not_identified', 'only an identified household can exit', '该农户不是在册相对贫困户，无需退出');
  const { proposed, assessment } = await judge(deps, who, identification);
  if (!proposed)
    throw conflict(
      'not_on_review_list',
      assessment
        ? 'the household is not on the review list: a cause still triggers or its income is below the line'
        : 'the household has no current assessment, so it cannot be judged for exit',
      assessment ? '该农户不在研判名单上：致贫风险仍在或收入低于监测线' : '该农户暂无评估结果，无法研判退出',
    );
  const facts = householdFacts(household);
  return createCase(
    deps,
    who,
    {
      _id: CaseStore.newId(),
      kind: 'exit',
      householdId: household._id,
      areaCode: household.areaCode,
      countyCode: facts.countyCode,
      headName: facts.headName,
      address: facts.address,
      persons: identification.persons,
      state: 'vote',
      origin: 'quarterly_review',
      warningId: '',
      commitmentSigned: false,
      assetCheckAuthorised: false,
      submittedAt: deps.clock.now().toISOString(),
      dueOn: '',
      notice: null,
      objections: [],
      category: identification.category,
      causes: identification.causes,
      policyStartDate: identification.policyStartDate,
      overrideReason: '',
      reason: '',
      vote: null,
      quarter,
      informedOn: '',
      documents: [],
    },
    { action: 'start_exit', note: quarter },
  );
}

const VOTE_FIELDS: Record<keyof VoteCount, string> = {
  members: 'vote.members',
  present: 'vote.present',
  votesFor: 'vote.votesFor',
  votesAgainst: 'vote.votesAgainst',
  abstentions: 'vote.abstentions',
};

/**
 * RecordVote: the assembly's counts, judged by DOMAIN.md §7 (quorum 3 × present ≥ 2 × members, passed
 * with 2 × for > present). Passed opens the exit notice; failed keeps the household identified.
 */
export async function recordVote(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.RecordVoteRequest,
): Promise<CaseDoc> {
  const current = await caseToActOn(deps, who, req.caseId, req.expectedVersion);
  requireAllowed(current, 'record_vote', who);
  const v = req.vote;
  if (!v) throw invalid('vote', 'required', 'the vote is required', '请填写表决结果');
  const counts: VoteCount = {
    members: v.members,
    present: v.present,
    votesFor: v.votesFor,
    votesAgainst: v.votesAgainst,
    abstentions: v.abstentions,
  };
  const today = deps.clock.today();
  const issues: FieldIssue[] = voteProblems(counts).map((p) => ({
    field: VOTE_FIELDS[p.field],
    code: p.code,
    message: p.message,
    messageZh: p.messageZh,
  }));
  if (!isValidDate(v.heldOn))
    issues.push({
      field: 'vote.heldOn',
      code: v.heldOn ? 'invalid_date' : 'required',
      message: 'the date of the assembly, YYYY-MM-DD',
      messageZh: '请填写表决日期（YYYY-MM-DD）',
    });
  else if (v.heldOn > today)
    issues.push({
      field: 'vote.heldOn',
      code: 'in_future',
      message: 'is after today',
      messageZh: '表决日期不能晚于今天',
    });
  const minutes = noteIssue('minutesReference', req.minutesReference);
  if (minutes) issues.push(minutes);
  if (issues.length) throw AppError.invalid(issues);

  const { quorum, passed } = judgeVote(counts);
  const to = stateAfterVote(passed);
  const vote = { ...counts, heldOn: v.heldOn, quorum, passed };
  const reason = passed
    ? ''
    : quorum
      ? `the assembly did not pass the exit (${counts.votesFor} for of ${counts.present} present)`
      : `the assembly had no quorum (${counts.present} of ${counts.members} members present)`;
  const documents = req.minutesReference.trim()
    ? [
        ...current.documents,
        {
          kind: 'vote_minutes',
          reference: req.minutesReference.trim(),
          recordedBy: who.username,
          recordedAt: deps.clock.now().toISOString(),
        },
      ]
    : current.documents;
  const notice = passed
    ? { ...noticePeriod(today, (await deps.policies.get(current.countyCode)).noticeDays), closedAt: '' }
    : current.notice;
  return applyTransition(deps, who, current, {
    action: 'record_vote',
    to,
    note: passed ? `passed: ${counts.votesFor}/${counts.present}` : reason,
    change: { vote, reason, documents, notice },
  });
}
