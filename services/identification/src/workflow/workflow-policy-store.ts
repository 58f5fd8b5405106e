import type { Collection, Connection } from 'mongoose';
import type { identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  requirePermission,
  type AuditTrail,
  type FieldIssue,
  type Identity,
  type VersionedWrites,
} from '@shouwang/kit';
import {
  DEFAULT_WORKFLOW_PARAMS,
  isKnownCountyCode,
  isWithin,
  workflowParamsSchema,
  type WorkflowParams,
} from '@shouwang/domain';
import type { Clock } from './clock';
import { invalid, versionRequired } from './workflow-errors';

/** One county's workflow parameters (`_id` = county code), versioned. */
export interface WorkflowPolicyDoc extends WorkflowParams {
  _id: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The policy in force for a county: the stored one, or the defaults (version 0, quota not configured). */
export type WorkflowPolicy = WorkflowPolicyDoc;

export class WorkflowPolicyStore {
  private constructor(
    readonly coll: Collection<WorkflowPolicyDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<WorkflowPolicyStore> {
    return new WorkflowPolicyStore(conn.collection<WorkflowPolicyDoc>('workflow_policies'), writes);
  }

  async get(countyCode: string): Promise<WorkflowPolicy> {
    return (
      (await this.coll.findOne({ _id: countyCode })) ?? {
        _id: countyCode,
        ...DEFAULT_WORKFLOW_PARAMS,
        version: 0,
        updatedAt: '',
        updatedBy: '',
      }
    );
  }

  /** Stores `params` over `expectedVersion` (0: none stored yet). Null when the version moved. */
  async put(
    countyCode: string,
    params: WorkflowParams,
    expectedVersion: number,
    by: { at: string; username: string },
  ): Promise<WorkflowPolicyDoc | null> {
    const doc: WorkflowPolicyDoc = {
      _id: countyCode,
      ...params,
      version: expectedVersion + 1,
      updatedAt: by.at,
      updatedBy: by.username,
    };
    if (expectedVersion === 0) {
      try {
        await this.coll.insertOne(doc);
        return doc;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return null;
        throw err;
      }
    }
    const { _id, ...fields } = doc;
    return this.writes.move(
      `workflow_policy:${countyCode}`,
      expectedVersion,
      [],
      async () => (await this.get(countyCode)).version === expectedVersion,
      () =>
        this.coll.findOneAndUpdate(
          { _id, $or: [{ version: expectedVersion }] },
          { $set: fields },
          { returnDocument: 'after' },
        ),
    );
  }
}

export function policyToWire(p: WorkflowPolicy): identificationV1.WorkflowPolicy {
  return {
    countyCode: p._id,
    registeredPoorPopulation: p.registeredPoorPopulation,
    quotaRatio: p.quotaRatio,
    overrideRatio: p.overrideRatio,
    noticeDays: p.noticeDays,
    decisionDays: p.decisionDays,
    version: p.version,
    updatedAt: p.updatedAt,
    updatedBy: p.updatedBy,
  };
}

/** A county code the caller's area overlaps (its own county, one above it, or one below it). */
export function requireCounty(who: Identity, countyCode: string): void {
  if (!isKnownCountyCode(countyCode))
    throw invalid('countyCode', 'invalid_county', 'not one of the 18 county codes', '不是有效的县级区划代码');
  if (!isWithin(who.areaCode, countyCode) && !isWithin(countyCode, who.areaCode))
    throw new AppError('not_found', 'county not found', { code: 'county_not_found', messageZh: '未找到该县' });
}

export async function getWorkflowPolicy(
  deps: { policies: WorkflowPolicyStore },
  who: Identity,
  countyCode: string,
): Promise<identificationV1.WorkflowPolicy> {
  requirePermission(who, 'cases.read');
  requireCounty(who, countyCode);
  return policyToWire(await deps.policies.get(countyCode));
}

/** The city administrator sets a county's workflow parameters (DOMAIN.md §6 *(param)* values). */
export async function updateWorkflowPolicy(
  deps: { policies: WorkflowPolicyStore; audit: AuditTrail; clock: Clock },
  who: Identity,
  req: identificationV1.UpdateWorkflowPolicyRequest,
): Promise<identificationV1.WorkflowPolicy> {
  requirePermission(who, 'policy.manage');
  const wire = req.policy;
  if (!wire)
    throw AppError.invalid([
      { field: 'policy', code: 'required', message: 'policy is required', messageZh: '缺少参数' },
    ]);
  requireCounty(who, wire.countyCode);
  const parsed = workflowParamsSchema.safeParse({
    registeredPoorPopulation: wire.registeredPoorPopulation,
    quotaRatio: wire.quotaRatio,
    overrideRatio: wire.overrideRatio,
    noticeDays: wire.noticeDays,
    decisionDays: wire.decisionDays,
  });
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((i) => ({
      field: String(i.path[0] ?? 'policy'),
      code: 'out_of_range',
      message: i.message,
      messageZh: '取值超出允许范围',
    }));
    throw AppError.invalid(issues);
  }
  if (!Number.isInteger(req.expectedVersion) || req.expectedVersion < 0) throw versionRequired();
  const before = await deps.policies.get(wire.countyCode);
  const stored = await deps.policies.put(wire.countyCode, parsed.data, req.expectedVersion, {
    at: deps.clock.now().toISOString(),
    username: who.username,
  });
  if (!stored) {
    const now = await deps.policies.get(wire.countyCode);
    throw new AppError('precondition_failed', `the policy was changed by someone else (now version ${now.version})`, {
      code: 'version_conflict',
      field: 'version',
      messageZh: '该参数已被他人修改，请刷新后重试',
      details: { currentVersion: String(now.version) },
    });
  }
  await deps.audit.append({
    aggregateType: 'workflow_policy',
    aggregateId: wire.countyCode,
    actor: auditActorOf(who),
    action: 'workflow_policy.updated',
    areaCode: wire.countyCode,
    before: before.version ? policyToWire(before) : null,
    after: policyToWire(stored),
  });
  return policyToWire(stored);
}
