import { CaseStore } from './case-store';
import { Identifications } from './identifications';
import type { VersionedWrites } from './versioned-writes';

/**
 * At start: releases the events of workflow writes that happened just before a crash (see
 * VersionedWrites.recover). Aggregates whose moves carry no events (quota, policy) need nothing.
 * `more` adds the version lookups of other aggregates with events (e.g. violation cases).
 */
export async function recoverWorkflowCommits(
  stores: { writes: VersionedWrites; cases: CaseStore; identifications: Identifications },
  more: Record<string, (id: string) => Promise<number | null>> = {},
): Promise<number> {
  const lookups: Record<string, (id: string) => Promise<number | null>> = {
    [CaseStore.aggregate('')]: async (id) => (await stores.cases.get(id))?.version ?? null,
    [Identifications.aggregate('')]: async (id) => (await stores.identifications.get(id))?.version ?? null,
    ...more,
  };
  return stores.writes.recover(async (aggregate) => {
    const colon = aggregate.indexOf(':');
    const lookup = lookups[aggregate.slice(0, colon + 1)];
    return lookup ? lookup(aggregate.slice(colon + 1)) : null;
  });
}
