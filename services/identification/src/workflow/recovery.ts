import type { VersionedWrites, VersionLookups } from '@shouwang/kit';
import { CaseStore } from './case-store';
import { Identifications } from './identifications';

/** The collection of the workflow aggregates' commits (cases, identifications, quotas, policies, violations). */
export const WORKFLOW_COMMITS = 'workflow_commits';

/**
 * At start: releases the events of workflow writes that happened just before a crash (see
 * VersionedWrites.recover). Aggregates whose moves carry no events (quota, policy) need nothing.
 * `more` adds the version lookups of other aggregates with events (e.g. violation cases).
 */
export async function recoverWorkflowCommits(
  stores: { writes: VersionedWrites; cases: CaseStore; identifications: Identifications },
  more: VersionLookups = {},
): Promise<number> {
  return stores.writes.recoverByType({
    [CaseStore.aggregate('')]: async (id) => (await stores.cases.get(id))?.version ?? null,
    [Identifications.aggregate('')]: async (id) => (await stores.identifications.get(id))?.version ?? null,
    ...more,
  });
}
