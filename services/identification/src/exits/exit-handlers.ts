import type { ExitAndViolationHandlers } from '../workflow/workflow-handlers';
import { callerOf, caseAnswer } from '../workflow/workflow-handlers';
import type { WorkflowDeps } from '../workflow/workflow-deps';
import { decideViolation, listViolations, type ViolationDeps } from '../violations/violations';
import { exitReviewList, recordVote, startExit } from './exit-review';

/** The WorkflowService RPCs of exits and violations (the rest are in ../workflow/workflow-handlers.ts). */
export function exitAndViolationHandlers(
  deps: WorkflowDeps,
  violations: ViolationDeps,
  identitySecret: string,
): ExitAndViolationHandlers {
  const caller = callerOf(identitySecret);
  return {
    getExitReviewList: async (req, ctx) => exitReviewList(deps, await caller(ctx), req),
    startExit: async (req, ctx) => ({ case: caseAnswer(deps, await startExit(deps, await caller(ctx), req)) }),
    recordVote: async (req, ctx) => ({ case: caseAnswer(deps, await recordVote(deps, await caller(ctx), req)) }),
    listViolations: async (req, ctx) => listViolations(violations, await caller(ctx), req),
    decideViolation: async (req, ctx) => ({ violation: await decideViolation(violations, await caller(ctx), req) }),
  };
}
