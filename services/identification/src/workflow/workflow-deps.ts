import type { HouseholdStore } from '../households/household-store';
import type { AssessmentSource } from './assessments';
import type { TransitionDeps } from './case-transitions';
import type { Identifications } from './identifications';
import type { QuotaLedger } from './quota-ledger';
import type { WorkflowPolicyStore } from './workflow-policy-store';

/** Everything the workflows use (the exit and violation handlers get the same). */
export interface WorkflowDeps extends TransitionDeps {
  households: HouseholdStore;
  quota: QuotaLedger;
  identifications: Identifications;
  policies: WorkflowPolicyStore;
  assessments: AssessmentSource;
}
