// A county's quota of identified persons (总量控制, DOMAIN.md §6) and its workflow policy.
import { api } from './client';

export interface QuotaStatus {
  countyCode: string;
  registeredPoorPopulation: number;
  /** Q, the soft limit; the hard limit is the most an override reaches. */
  quota: number;
  hardLimit: number;
  /** Persons in identified, not exited households. */
  used: number;
  /** quota − used (negative beyond Q). */
  remaining: number;
  /** Persons and cases in applications not yet decided. */
  pendingPersons: number;
  pendingCases: number;
  /** False while the county's registered poor population is not set (no approvals possible). */
  configured: boolean;
}

export async function getQuotaStatus(countyCode: string): Promise<QuotaStatus> {
  return (await api<{ status: QuotaStatus }>(`/quotas/${encodeURIComponent(countyCode)}`)).status;
}
