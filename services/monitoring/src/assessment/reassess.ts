import { assessHousehold, todayInChina } from '@shouwang/domain';
import type { Logger } from '@shouwang/kit';
import type { FeedFactStore } from '../feeds/feed-fact-store';
import type { HouseholdProjection, StoredAssessment } from '../households/household-projection';
import type { PolicyStore, PolicyVersion } from '../policy/policy-store';
import { causesOf, reconcileWarnings } from '../warnings/reconcile';
import { WarningRace, type AssessmentRef, type WarningStore } from '../warnings/warning-store';
import type { ViolationSignals } from '../warnings/violation-signals';
import { applyFeedFacts, memberPositions, violationSignals } from './overlay';

export interface ReassessOptions {
  /** What triggered it: registry | feed:<department> | rescreening | policy. */
  source: string;
  /** Assess this year; a household whose income is for another year is skipped. Default: its income year. */
  year?: number;
  /** A policy read once for a whole batch (re-screening); default: the current one. */
  policy?: PolicyVersion;
}

export type ReassessOutcome = 'assessed' | 'not_assessable' | 'skipped' | 'missing';

const MAX_RACES = 5;

/**
 * On every change — registry edit, department fact, policy change — assess the household again
 * (its registry data with the departments' facts over it, DOMAIN.md §4) and bring its warnings in line:
 * raise, update, resolve (reconcile.ts). Idempotent: assessing an unchanged household again changes
 * nothing but "last seen".
 */
export class Reassessor {
  constructor(
    private readonly deps: {
      households: HouseholdProjection;
      facts: FeedFactStore;
      policies: PolicyStore;
      warnings: WarningStore;
      signals: ViolationSignals;
      logger: Logger;
      /** Called after a write that added events, so the relay publishes them at once. */
      onEventsWritten: () => void;
    },
  ) {}

  async reassess(householdId: string, opts: ReassessOptions): Promise<ReassessOutcome> {
    for (let race = 0; ; race++) {
      try {
        return await this.once(householdId, opts);
      } catch (err) {
        if (!(err instanceof WarningRace) || race >= MAX_RACES) throw err;
        this.deps.logger.debug({ householdId, race }, 'warnings changed concurrently; re-assessing');
      }
    }
  }

  private async once(householdId: string, opts: ReassessOptions): Promise<ReassessOutcome> {
    const { households, facts, warnings, signals } = this.deps;
    const doc = await households.get(householdId);
    if (!doc) return 'missing';
    if (opts.year !== undefined && doc.household.income?.year !== opts.year) return 'skipped';
    const policy = opts.policy ?? (await this.deps.policies.current());
    const known = await facts.forPeople(doc.memberIndexes);
    const overlay = applyFeedFacts(doc.household, doc.memberIndexes, known);
    const asOf = todayInChina();
    const outcome = assessHousehold(
      { ...overlay.household, id: doc._id },
      { year: opts.year, asOf, policy: policy.policy },
    );
    const now = new Date();
    const stored: StoredAssessment = {
      result: outcome.ok ? outcome.result : null,
      error: outcome.ok ? null : outcome.error,
      assessedAt: now,
      policyVersion: policy._id,
      householdVersion: doc.version,
      appliedFacts: overlay.applied,
    };
    // A newer version of the household arrived meanwhile: its own re-assessment decides.
    if (!(await households.saveAssessment(doc._id, stored))) return 'assessed';
    if (!outcome.ok) {
      // Nothing can be said about the causes (e.g. no monitoring line for the year): warnings stay as they are.
      this.deps.logger.info(
        { householdId, code: outcome.error.code, field: outcome.error.field },
        'household could not be assessed',
      );
      return 'not_assessable';
    }
    const result = outcome.result;
    const ref: AssessmentRef = {
      assessedAt: now,
      policyVersion: policy._id,
      householdVersion: doc.version,
      year: result.year,
      asOf: result.asOf,
      perCapitaIncome: result.perCapitaIncome,
      monitoringLine: result.monitoringLine,
      category: result.category,
      features: result.features,
    };
    const held = await warnings.held(doc._id);
    const versions = new Map(held.map((w) => [w.id, w.version]));
    let wrote = false;
    for (const step of reconcileWarnings(held, causesOf(result))) {
      const ctx = { householdId: doc._id, areaCode: doc.areaCode, source: opts.source, assessment: ref, now };
      if (await warnings.apply(step, ctx, versions)) wrote = true;
    }

    // Reverse constraint: an aided household (registered or exited poor, or under monitoring) that
    // a department shows with a car or commercial housing.
    const aided = doc.household.povertyStatus !== 'none' || result.monitoringObject;
    if (aided) {
      const positions = memberPositions(doc.memberIndexes);
      for (const s of violationSignals(known, positions)) {
        const isNew = await signals.signal(
          {
            id: doc._id,
            areaCode: doc.areaCode,
            povertyStatus: doc.household.povertyStatus,
            category: result.category,
          },
          s,
        );
        if (isNew) wrote = true;
      }
    }
    if (wrote) this.deps.onEventsWritten();
    return 'assessed';
  }
}
