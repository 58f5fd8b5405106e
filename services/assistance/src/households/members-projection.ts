import type { Collection, Connection } from 'mongoose';
import type { householdV1 } from '@shouwang/contracts';
import type { Member } from '@shouwang/domain';
import { FEATURE_CODES, type FeatureCode } from '@shouwang/domain';
import { isDuplicateKey } from '@shouwang/kit';

/**
 * What eligibility needs of a member (DOMAIN.md §8 conditions: labour, health, disability grade, age).
 * No names besides the head's (on the plan and the tasks) and no ID numbers.
 */
export type ProjectedMember = Pick<Member, 'relation' | 'labour' | 'health' | 'disabilityGrade' | 'birthDate'>;

/** Assistance's own copy of a registry household, from its events. */
export interface ProjectedHousehold {
  _id: string;
  version: number;
  areaCode: string;
  headName: string;
  members: ProjectedMember[];
  projectedAt: Date;
}

/**
 * The household's causes as monitoring last judged them (its warnings): the features of its newest
 * assessment when it was a monitoring object, less the causes resolved since. Kept apart from the
 * registry copy, so the two consumers never write one document.
 */
export interface HouseholdCauses {
  _id: string;
  causes: FeatureCode[];
  /** RFC 3339 time of the assessment (or resolution) the causes come from. */
  asOf: string;
}

function projectedMember(m: householdV1.Member): ProjectedMember {
  const p: ProjectedMember = { relation: m.relation as Member['relation'] };
  if (m.labour) p.labour = m.labour as Member['labour'];
  if (m.health) p.health = m.health as Member['health'];
  if (m.disabilityGrade) p.disabilityGrade = m.disabilityGrade as Member['disabilityGrade'];
  if (m.birthDate) p.birthDate = m.birthDate;
  return p;
}

const isFeature = (c: string): c is FeatureCode => (FEATURE_CODES as readonly string[]).includes(c);

/** The `households` projection (members, by household events) and `household_causes` (by warnings). */
export class MembersProjection {
  private constructor(
    readonly coll: Collection<ProjectedHousehold>,
    private readonly causes: Collection<HouseholdCauses>,
  ) {}

  static async open(conn: Connection): Promise<MembersProjection> {
    return new MembersProjection(
      conn.collection<ProjectedHousehold>('households'),
      conn.collection<HouseholdCauses>('household_causes'),
    );
  }

  /**
   * Stores the household if it is newer than the stored one (a redelivered or older event changes
   * nothing). Returns false when it was not newer.
   */
  async apply(h: householdV1.Household): Promise<boolean> {
    if (!h.id) throw new Error('household event without a household id');
    const head = h.members.find((m) => m.relation === 'head') ?? h.members[0];
    try {
      const r = await this.coll.updateOne(
        { _id: h.id, $or: [{ version: { $lt: h.version } }, { version: { $exists: false } }] },
        {
          $set: {
            version: h.version,
            areaCode: h.areaCode,
            headName: head?.name ?? '',
            members: h.members.map(projectedMember),
            projectedAt: new Date(),
          },
        },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (err) {
      // The upsert met the household at the same or a newer version.
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  get(id: string): Promise<ProjectedHousehold | null> {
    return this.coll.findOne({ _id: id });
  }

  causesOf(id: string): Promise<HouseholdCauses | null> {
    return this.causes.findOne({ _id: id });
  }

  /**
   * A new assessment (a warning raised or updated carries it): its features are the causes when the
   * household was a monitoring object, none otherwise. Older than what is stored: ignored (null).
   */
  async assessed(
    id: string,
    assessedAt: string,
    category: string,
    features: string[],
  ): Promise<HouseholdCauses | null> {
    const causes = category ? features.filter(isFeature) : [];
    return this.setCauses(id, assessedAt, () => causes);
  }

  /** A cause resolved at `at` (the warning's status change): it leaves the causes. */
  async resolved(id: string, at: string, cause: string): Promise<HouseholdCauses | null> {
    return this.setCauses(id, at, (before) => before.filter((c) => c !== cause));
  }

  /** Warnings of one household arrive in order (one topic, keyed by household), so read-then-write holds. */
  private async setCauses(
    id: string,
    asOf: string,
    next: (before: FeatureCode[]) => FeatureCode[],
  ): Promise<HouseholdCauses | null> {
    const before = await this.causes.findOne({ _id: id });
    if (before && before.asOf > asOf) return null;
    const doc: HouseholdCauses = { _id: id, causes: next(before?.causes ?? []), asOf };
    await this.causes.replaceOne({ _id: id }, doc, { upsert: true });
    return doc;
  }
}
