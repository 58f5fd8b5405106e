// Exits (退出): the quarterly review list of a village (集中研判) and starting an exit case.
import { api, query } from './client';
import type { Case } from './cases';

/** A household on the review list: its causes no longer trigger and its income is not below the line. */
export interface ExitCandidate {
  householdId: string;
  headName: string;
  address?: string;
  persons: number;
  /** Causes recorded at identification, and the features of the current assessment. */
  causes?: string[];
  currentFeatures?: string[];
  incomeBelowLine?: boolean;
  perCapitaIncome?: number;
  monitoringLine?: number;
  /** The exit case already started for it this quarter, if any. */
  exitCaseId?: string;
  exitCaseState?: string;
}

export interface ExitReview {
  quarter: string;
  candidates: ExitCandidate[];
  /** Identified households of the village that stay. */
  retained: number;
}

export async function getExitReview(villageCode: string, quarter: string): Promise<ExitReview> {
  return api<ExitReview>(`/exit-reviews/${encodeURIComponent(villageCode)}${query({ quarter })}`);
}

export async function startExit(householdId: string, quarter: string): Promise<Case> {
  return (await api<{ case: Case }>('/exits', { method: 'POST', body: JSON.stringify({ householdId, quarter }) })).case;
}
