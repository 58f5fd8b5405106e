// The registry's household endpoints (一户一表, history, bulk import) and the monitoring service's
// assessment of one household, typed as the API spec describes them.
import type { FeatureCode, Household, PovertyStatus, WarningCode } from '@shouwang/domain';
import { api, apiResponse, query } from './client';

/** A household as the registry keeps it: the canonical JSON plus what the registry assigns. */
export type StoredHousehold = Household & { id: string; version: number; createdAt: string; updatedAt: string };

/** Fields the registry owns: never sent back in a create or an update. */
export const REGISTRY_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;

export interface HouseholdPage {
  households: StoredHousehold[];
  /** Absent or '' on the last page. */
  nextPageToken?: string;
  total: number;
}

export interface HouseholdFilter {
  areaCode?: string;
  /** A member's name or an address substring, or an exact 18-character ID number. */
  q?: string;
  povertyStatus?: PovertyStatus;
  pageSize?: number;
  pageToken?: string;
}

export interface FieldChange {
  path: string;
  /** JSON text of the value before the change (absent when the field was added). */
  before?: string;
  /** JSON text of the value after the change (absent when the field was removed). */
  after?: string;
}

export interface HouseholdChange {
  version: number;
  at: string;
  actorUsername: string;
  actorRole: string;
  action: string;
  fields: FieldChange[];
}

export type ImportFormat = 'csv' | 'xlsx' | 'jsonl';

export interface ImportRowError {
  row: number;
  field: string;
  code: string;
  message: string;
  messageZh: string;
}

export interface ImportJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  dryRun: boolean;
  format: ImportFormat;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  ratePerSecond: number;
  /** How much of the uploaded file has been read, 0–100 (absent from older servers). */
  percent?: number;
  startedAt: string;
  finishedAt?: string;
  /** The first 1000 row errors; every one is in errors.csv. */
  errors: ImportRowError[];
  failure?: { code?: string; message: string; messageZh?: string } | string;
}

export type AssessmentCategory = 'edge' | 'unstable_exited' | 'sudden_hardship';

export interface Assessment {
  householdId: string;
  year: number;
  asOf: string;
  monitoringLine: number;
  perCapitaIncome: number;
  incomeBelowLine: boolean;
  features: FeatureCode[];
  monitoringObject: boolean;
  category: AssessmentCategory | null;
  warnings: WarningCode[];
  /** Summary first, then a line per feature and warning; items: what triggered each (no personal data). */
  explanation: {
    zh: string[] | string;
    en: string[] | string;
    items?: { code: string; zh: string; en: string; inputs?: unknown }[];
  };
  assessedAt: string;
  policyVersion?: string | number;
  /** The registry version of the household this assessment is of. */
  householdVersion?: number;
}

/** The version in an ETag header: `"7"` or `W/"7"` → 7; null when there is none. */
export function versionFromEtag(etag: string | null): number | null {
  const m = etag ? /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim()) : null;
  return m ? Number(m[1]) : null;
}

const path = (id: string) => `/households/${encodeURIComponent(id)}`;

export async function listHouseholds(filter: HouseholdFilter): Promise<HouseholdPage> {
  return api<HouseholdPage>(`/households${query({ ...filter })}`);
}

/** The household and the version to send back in If-Match (the ETag; the body's version otherwise). */
export async function getHousehold(id: string): Promise<{ household: StoredHousehold; version: number }> {
  const res = await apiResponse(path(id));
  const { household } = (await res.json()) as { household: StoredHousehold };
  return { household, version: versionFromEtag(res.headers.get('etag')) ?? household.version };
}

export async function createHousehold(household: Household): Promise<StoredHousehold> {
  return (await api<{ household: StoredHousehold }>('/households', { method: 'POST', body: JSON.stringify(household) }))
    .household;
}

/** Replaces the household if it is still at `version`; 412 version_conflict when someone else saved first. */
export async function updateHousehold(
  id: string,
  version: number,
  household: Household,
): Promise<{ household: StoredHousehold; changed: boolean }> {
  return api(path(id), {
    method: 'PUT',
    headers: { 'if-match': `"${version}"` },
    body: JSON.stringify(household),
  });
}

export async function householdHistory(id: string): Promise<HouseholdChange[]> {
  return (await api<{ changes: HouseholdChange[] }>(`${path(id)}/history`)).changes;
}

export async function getAssessment(id: string): Promise<Assessment> {
  return (await api<{ assessment: Assessment }>(`${path(id)}/assessment`)).assessment;
}

export const importTemplatePath = (format: 'csv' | 'xlsx') => `/households/import-template${query({ format })}`;
export const importErrorsPath = (jobId: string) => `/households/imports/${encodeURIComponent(jobId)}/errors.csv`;

/** Uploads the file as the raw request body; the server answers at once with the running job. */
export async function startImport(
  file: Blob,
  opts: { format: ImportFormat; contentType: string; dryRun: boolean },
): Promise<ImportJob> {
  const res = await api<{ job: ImportJob }>(
    `/households/imports${query({ dryRun: opts.dryRun, format: opts.format })}`,
    { method: 'POST', headers: { 'content-type': opts.contentType }, body: file },
  );
  return res.job;
}

export async function getImport(jobId: string): Promise<ImportJob> {
  return (await api<{ job: ImportJob }>(`/households/imports/${encodeURIComponent(jobId)}`)).job;
}
