import type { identificationV1 } from '@shouwang/contracts';
import { requireInScope, requirePermission, type AuditEntry, type Identity } from '@shouwang/kit';
import { householdChanges } from './household-diff';
import { notFound, type RegistryDeps } from './register-household';

/** A household with more changes than this shows the newest ones (its audit trail keeps them all). */
const MAX_ENTRIES = 2000;
const PAGE = 200;

type Json = Record<string, unknown>;

/**
 * Who changed what, when: read from the household's entries in the audit trail (append-only,
 * hash-chained, ID numbers masked), each compared with the state before it.
 */
export async function householdHistory(
  deps: RegistryDeps,
  who: Identity,
  id: string,
): Promise<identificationV1.GetHouseholdHistoryResponse> {
  requirePermission(who, 'households.read');
  const doc = id ? await deps.households.get(id) : null;
  if (!doc) throw notFound();
  requireInScope(who, doc.areaCode, 'household');

  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.list({ aggregateType: 'household', aggregateId: id }, { limit: PAGE, cursor });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && entries.length < MAX_ENTRIES);

  const changes = entries
    .filter((e) => e.after && e.action !== 'household.id_numbers_read')
    .reverse()
    .map((e): identificationV1.HouseholdChange => {
      const after = e.after as Json;
      const actor = e.actor as { username?: string; role?: string; system?: string };
      return {
        version: typeof after.version === 'number' ? after.version : 0,
        at: new Date(e.at).toISOString(),
        actorUsername: actor.username ?? actor.system ?? '',
        actorRole: actor.role ?? 'system',
        action: e.action,
        fields: householdChanges((e.before as Json | null) ?? {}, after),
      };
    });
  return { changes };
}
