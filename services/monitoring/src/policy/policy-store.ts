import type { Collection, Connection } from 'mongoose';
import { DEFAULT_POLICY, policyProblem, type AssessmentPolicy } from '@shouwang/domain';
import { AppError } from '@shouwang/kit';

/** One version of the assessment policy (DOMAIN.md §4 *(param)*). Versions only grow; none is changed. */
export interface PolicyVersion {
  _id: number;
  policy: AssessmentPolicy;
  createdAt: Date;
  /** Username of the city administrator, or "system" for the default. */
  createdBy: string;
}

/**
 * The assessment policy in monitoring's own database, versioned: version 1 is DEFAULT_POLICY, each
 * change inserts the next version (the unique _id lets exactly one of two racing changes win).
 */
export class PolicyStore {
  private constructor(private readonly coll: Collection<PolicyVersion>) {}

  static async open(conn: Connection): Promise<PolicyStore> {
    const store = new PolicyStore(conn.collection<PolicyVersion>('policies'));
    await store.coll
      .insertOne({ _id: 1, policy: DEFAULT_POLICY, createdAt: new Date(), createdBy: 'system' })
      .catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err; // already seeded
      });
    return store;
  }

  async current(): Promise<PolicyVersion> {
    const [doc] = await this.coll.find().sort({ _id: -1 }).limit(1).toArray();
    if (!doc) throw new AppError('unavailable', 'no assessment policy stored yet');
    return doc;
  }

  /** Validates and stores the next version; `expectedVersion` (when > 0) must be the current one. */
  async update(policy: unknown, expectedVersion: number, by: string): Promise<PolicyVersion> {
    const problem = policyProblem(policy);
    if (problem)
      throw AppError.invalid([
        { field: problem.field, code: 'invalid_policy', message: problem.message, messageZh: '监测政策参数无效' },
      ]);
    const current = await this.current();
    if (expectedVersion > 0 && expectedVersion !== current._id)
      throw new AppError('conflict', `the policy is at version ${current._id}, not ${expectedVersion}`, {
        code: 'version_conflict',
        field: 'version',
        messageZh: '政策已被他人修改，请刷新后重试',
      });
    const next: PolicyVersion = {
      _id: current._id + 1,
      policy: policy as AssessmentPolicy,
      createdAt: new Date(),
      createdBy: by,
    };
    try {
      await this.coll.insertOne(next);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      throw new AppError('conflict', 'the policy was changed at the same time; read it again', {
        code: 'version_conflict',
        field: 'version',
        messageZh: '政策已被他人修改，请刷新后重试',
      });
    }
    return next;
  }
}
