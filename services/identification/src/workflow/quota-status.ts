import type { identificationV1 } from '@shouwang/contracts';
import { requirePermission, type Identity } from '@shouwang/kit';
import { quotaLimits } from '@shouwang/domain';
import type { WorkflowDeps } from './workflow-deps';
import { requireCounty } from './workflow-policy-store';

/**
 * A county's quota gauge: Q and the hard limit from its policy, used from the ledger (the one count),
 * and the pipeline — persons and cases of identification cases not yet decided.
 */
export async function quotaStatus(
  deps: Pick<WorkflowDeps, 'policies' | 'quota' | 'cases'>,
  who: Identity,
  countyCode: string,
): Promise<identificationV1.QuotaStatus> {
  requirePermission(who, 'quota.read');
  requireCounty(who, countyCode);
  const [policy, usage, pending] = await Promise.all([
    deps.policies.get(countyCode),
    deps.quota.usage(countyCode),
    deps.cases.openInCounty('identification', countyCode),
  ]);
  const configured = policy.registeredPoorPopulation > 0;
  const { quota, hardLimit } = configured ? quotaLimits(policy) : { quota: 0, hardLimit: 0 };
  return {
    countyCode,
    registeredPoorPopulation: policy.registeredPoorPopulation,
    quota,
    hardLimit,
    used: usage.used,
    remaining: quota - usage.used,
    // Summed here: FerretDB's $group with $sum over a field answers 0.
    pendingPersons: pending.reduce((n, c) => n + c.persons, 0),
    pendingCases: pending.length,
    configured,
  };
}
