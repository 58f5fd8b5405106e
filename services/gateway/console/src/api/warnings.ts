// The monitoring service's warnings (预警), typed as the API spec describes them.
import { FEATURE_CODES, WARNING_CODES, type FeatureCode, type WarningCode } from '@shouwang/domain';
import { api, query } from './client';

/** What a warning is about: a feature F1–F10 or a monitoring-content code. */
export type WarningCause = FeatureCode | WarningCode;
export const WARNING_CAUSES: readonly WarningCause[] = [...FEATURE_CODES, ...WARNING_CODES];

export const WARNING_STATUSES = ['open', 'acknowledged', 'converted', 'dismissed', 'resolved'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/** Warnings still waiting for a decision: they may be acknowledged, dismissed or converted. */
export const ACTIONABLE: ReadonlySet<WarningStatus> = new Set(['open', 'acknowledged']);

export interface Warning {
  id: string;
  householdId: string;
  areaCode: string;
  cause: WarningCause;
  causeText: { zh: string; en: string };
  status: WarningStatus;
  /** registry | feed:<department> | rescreening | policy */
  source: string;
  firstSeenAt: string;
  lastSeenAt: string;
  explanation: { zh: string; en: string };
  dismissReason?: string;
  applicationId?: string;
  version: number;
}

export interface WarningFilter {
  areaCode?: string;
  cause?: WarningCause;
  source?: string;
  status?: WarningStatus;
  householdId?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface WarningPage {
  warnings: Warning[];
  nextPageToken?: string;
  total: number;
}

const path = (id: string) => `/warnings/${encodeURIComponent(id)}`;

export async function listWarnings(filter: WarningFilter): Promise<WarningPage> {
  return api<WarningPage>(`/warnings${query({ ...filter })}`);
}

export async function acknowledgeWarning(id: string): Promise<Warning> {
  return (await api<{ warning: Warning }>(`${path(id)}/acknowledge`, { method: 'POST', body: '{}' })).warning;
}

export async function dismissWarning(id: string, reason: string): Promise<Warning> {
  return (await api<{ warning: Warning }>(`${path(id)}/dismiss`, { method: 'POST', body: JSON.stringify({ reason }) }))
    .warning;
}
