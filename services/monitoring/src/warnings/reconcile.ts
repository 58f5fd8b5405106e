import {
  FEATURE_CODES,
  FEATURE_TEXT,
  WARNING_CODES,
  WARNING_TEXT,
  type AssessmentResult,
  type FeatureCode,
  type WarningCode,
} from '@shouwang/domain';

// Which warnings an assessment calls for, and what that means for the warnings a household already
// has (DOMAIN.md §5: one open warning per household and cause; a new signal updates it). Pure.

export type WarningCause = FeatureCode | WarningCode;
export const WARNING_CAUSES: readonly WarningCause[] = [...FEATURE_CODES, ...WARNING_CODES];
export const CAUSE_TEXT: Readonly<Record<WarningCause, { zh: string; en: string }>> = {
  ...FEATURE_TEXT,
  ...WARNING_TEXT,
};

export const WARNING_STATUSES = ['open', 'acknowledged', 'converted', 'dismissed', 'resolved'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/** One cause present in an assessment, with why. */
export interface CauseSignal {
  cause: WarningCause;
  explanation: { zh: string; en: string };
  /** The inputs that triggered it (no personal data), compared to tell a changed signal from a repeat. */
  inputs: Record<string, unknown>;
}

/**
 * The causes of an assessment: each feature F1–F10 of a monitoring object (sudden_hardship included;
 * a feature of a household that is not a monitoring object is no cause for alarm by itself), and each
 * monitoring-content warning (school_dropout, unsafe_housing, …) always.
 */
export function causesOf(result: AssessmentResult): CauseSignal[] {
  const summary = result.explanation;
  const items = [...(result.monitoringObject ? summary.features : []), ...summary.warnings];
  return items.map((item) => ({
    cause: item.code,
    explanation: { zh: `${item.code} ${item.zh}。${summary.zh}`, en: `${item.code}: ${item.en}. ${summary.en}` },
    inputs: item.inputs,
  }));
}

/** A warning holding its household's slot for its cause: open or acknowledged, or closed by an officer
 * (dismissed, converted) while the cause persists. */
export interface HeldWarning {
  id: string;
  cause: WarningCause;
  status: Exclude<WarningStatus, 'resolved'>;
  /** Canonical JSON of the inputs last seen. */
  inputsKey: string;
}

export type Reconciliation =
  /** A cause with no warning: raise one. */
  | { kind: 'raise'; signal: CauseSignal }
  /** An open or acknowledged warning whose cause is still there: last seen now; `changed` when its inputs differ. */
  | { kind: 'update'; warning: HeldWarning; signal: CauseSignal; changed: boolean }
  /** An open or acknowledged warning whose cause is gone: resolved automatically. */
  | { kind: 'resolve'; warning: HeldWarning }
  /**
   * A dismissed or converted warning whose cause is gone: it gives up its slot, so the cause coming
   * back later raises a new warning. (While the cause persists it keeps the slot: an officer who
   * dismissed a warning is not asked again at every edit of the household.)
   */
  | { kind: 'release'; warning: HeldWarning };

/** Canonical JSON: keys sorted at every level, so equal inputs give equal text. */
export function canonicalKey(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x as object)
          .sort()
          .map((k) => [k, norm((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(norm(v));
}

/** What to do with a household's held warnings given the causes of its new assessment. */
export function reconcileWarnings(held: readonly HeldWarning[], signals: readonly CauseSignal[]): Reconciliation[] {
  const out: Reconciliation[] = [];
  const byCause = new Map(held.map((w) => [w.cause, w]));
  const present = new Set<WarningCause>();
  for (const signal of signals) {
    present.add(signal.cause);
    const w = byCause.get(signal.cause);
    if (!w) out.push({ kind: 'raise', signal });
    else if (w.status === 'open' || w.status === 'acknowledged')
      out.push({ kind: 'update', warning: w, signal, changed: w.inputsKey !== canonicalKey(signal.inputs) });
  }
  for (const w of held) {
    if (present.has(w.cause)) continue;
    out.push(
      w.status === 'open' || w.status === 'acknowledged'
        ? { kind: 'resolve', warning: w }
        : { kind: 'release', warning: w },
    );
  }
  return out;
}
