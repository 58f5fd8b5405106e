// The audit trail (GET /audit, auditors and the city administrator): the entries of one aggregate.
import { api, query } from './client';

export interface AuditEntry {
  id: string;
  aggregateType: string;
  aggregateId: string;
  seq: number;
  at: string;
  /** A user ({ username, role, … }) or a system process ({ system }). */
  actor: { username?: string; role?: string; system?: string } | null;
  action: string;
  areaCode: string;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** The identification service's entries about one record (a case), oldest first as the trail keeps them. */
export async function auditOf(aggregateId: string, limit = 200): Promise<AuditPage> {
  return api<AuditPage>(`/audit${query({ source: 'identification', aggregateId, limit })}`);
}
