// Commitment violations (反向约束): a car or commercial-housing purchase of an aided household.
import { api, query } from './client';

export const VIOLATION_STATES = ['open', 'warned', 'assistance_ended'] as const;
export type ViolationState = (typeof VIOLATION_STATES)[number];
export type ViolationDecision = 'warn' | 'end_assistance';

export interface ViolationCase {
  id: string;
  householdId: string;
  areaCode: string;
  headName: string;
  /** public_security | natural_resources */
  department: string;
  recordId: string;
  /** car | commercial_housing */
  asset: string;
  observedOn: string;
  state: ViolationState;
  decisionReason?: string;
  decidedBy?: string;
  decidedAt?: string;
  openedAt: string;
  version: number;
}

export interface ViolationFilter {
  areaCode?: string;
  state?: ViolationState;
  pageSize?: number;
  pageToken?: string;
}

export interface ViolationPage {
  violations: ViolationCase[];
  nextPageToken?: string;
  total: number;
}

export async function listViolations(filter: ViolationFilter): Promise<ViolationPage> {
  return api<ViolationPage>(`/violations${query({ ...filter })}`);
}

/** The county officer's decision; end_assistance exits the household with the reason. */
export async function decideViolation(
  v: Pick<ViolationCase, 'id' | 'version'>,
  decision: ViolationDecision,
  reason: string,
): Promise<ViolationCase> {
  const res = await api<{ violation: ViolationCase }>(`/violations/${encodeURIComponent(v.id)}/decision`, {
    method: 'POST',
    body: JSON.stringify({ decision, reason, version: v.version }),
  });
  return res.violation;
}
