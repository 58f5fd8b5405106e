import type { identificationV1 } from '@shouwang/contracts';
import { AppError, identityFrom, type Identity, type UnaryHandlers } from '@shouwang/kit';
import type { CaseDoc } from './case-store';
import { caseToWire } from './case-mapping';
import { submitApplication } from './submit-application';
import { includeDirectly } from './include-directly';
import { actOnCase } from './act-on-case';
import { lodgeObjection, resolveObjection } from './objections';
import { getCase, listCases } from './list-cases';
import { quotaStatus } from './quota-status';
import { getWorkflowPolicy, updateWorkflowPolicy } from './workflow-policy-store';
import { getIdentification } from './identifications';
import type { WorkflowDeps } from './workflow-deps';

type AllHandlers = UnaryHandlers<identificationV1.WorkflowServiceServer>;

/** The RPCs of the exit review, the vote and violations: written in ../exits and ../violations. */
export type ExitAndViolationRpc =
  'getExitReviewList' | 'startExit' | 'recordVote' | 'listViolations' | 'decideViolation';
export type ExitAndViolationHandlers = Pick<AllHandlers, ExitAndViolationRpc>;
export type CaseWorkflowHandlers = Omit<AllHandlers, ExitAndViolationRpc>;

/** The caller's identity, signed by the gateway. */
export function callerOf(identitySecret: string) {
  return (ctx: { metadata: Parameters<typeof identityFrom>[1] }): Promise<Identity> =>
    identityFrom(identitySecret, ctx.metadata);
}

/** A case as answered, with `late` judged on the workflows' today. */
export function caseAnswer(deps: Pick<WorkflowDeps, 'clock'>, doc: CaseDoc): identificationV1.Case {
  return caseToWire(doc, deps.clock.today());
}

/**
 * The WorkflowService handlers written here: applications, direct inclusion, cases and their steps,
 * objections, the quota, the workflow policy and a household's identification. The exit review,
 * vote and violation RPCs come from `others`; pass both into one service:
 * `workflowHandlers(deps, secret, { ...exitHandlers, ...violationHandlers })`.
 */
export function workflowHandlers(
  deps: WorkflowDeps,
  identitySecret: string,
  others: ExitAndViolationHandlers,
): AllHandlers {
  return { ...caseWorkflowHandlers(deps, identitySecret), ...others };
}

export function caseWorkflowHandlers(deps: WorkflowDeps, identitySecret: string): CaseWorkflowHandlers {
  const caller = callerOf(identitySecret);
  const answer = (doc: CaseDoc) => ({ case: caseAnswer(deps, doc) });
  return {
    submitApplication: async (req, ctx) => answer(await submitApplication(deps, await caller(ctx), req)),
    includeDirectly: async (req, ctx) => answer(await includeDirectly(deps, await caller(ctx), req)),
    getCase: async (req, ctx) => answer(await getCase(deps, await caller(ctx), req.id)),
    listCases: async (req, ctx) => {
      const { docs, nextPageToken, total } = await listCases(deps, await caller(ctx), req);
      return { cases: docs.map((d) => caseAnswer(deps, d)), nextPageToken, total };
    },
    actOnCase: async (req, ctx) => answer(await actOnCase(deps, await caller(ctx), req)),
    lodgeObjection: async (req, ctx) => answer(await lodgeObjection(deps, await caller(ctx), req)),
    resolveObjection: async (req, ctx) => answer(await resolveObjection(deps, await caller(ctx), req)),
    getQuotaStatus: async (req, ctx) => ({ status: await quotaStatus(deps, await caller(ctx), req.countyCode) }),
    getWorkflowPolicy: async (req, ctx) => ({
      policy: await getWorkflowPolicy(deps, await caller(ctx), req.countyCode),
    }),
    updateWorkflowPolicy: async (req, ctx) => ({
      policy: await updateWorkflowPolicy(deps, await caller(ctx), req),
    }),
    getIdentification: async (req, ctx) => ({
      identification: await getIdentification(deps, await caller(ctx), req.householdId),
    }),
  };
}

/** Stand-ins until the exit and violation handlers are wired: UNIMPLEMENTED-like, never silent. */
export function exitAndViolationPending(): ExitAndViolationHandlers {
  const pending = async (): Promise<never> => {
    throw new AppError('unavailable', 'not available yet', { code: 'not_implemented', messageZh: '功能尚未开放' });
  };
  return {
    getExitReviewList: pending,
    startExit: pending,
    recordVote: pending,
    listViolations: pending,
    decideViolation: pending,
  };
}
