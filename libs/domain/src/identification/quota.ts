/**
 * County quota (总量控制, DOMAIN.md §6): identified persons ≤ Q = round-half-up(ratio × registered poor
 * population); beyond Q only with an override reason, up to ⌊Q × (1 + override ratio)⌋; beyond that,
 * refused. Ratios are decimals with at most 6 places, computed in integer millionths so no float
 * rounding decides a place.
 */
const MILLION = 1_000_000;

/** A decimal ratio (≤ 6 places) as an integer number of millionths, or null when it has more places. */
export function ratioMillionths(ratio: number): number | null {
  if (!Number.isFinite(ratio) || ratio < 0) return null;
  const m = Math.round(ratio * MILLION);
  return Math.abs(m / MILLION - ratio) < 1e-12 ? m : null;
}

export interface QuotaParams {
  registeredPoorPopulation: number;
  quotaRatio: number;
  overrideRatio: number;
}

export interface QuotaLimits {
  /** Q: the soft limit. */
  quota: number;
  /** ⌊Q × (1 + override ratio)⌋: nothing beyond this, override or not. */
  hardLimit: number;
}

export function quotaLimits(p: QuotaParams): QuotaLimits {
  const r = ratioMillionths(p.quotaRatio);
  const o = ratioMillionths(p.overrideRatio);
  if (r === null || o === null) throw new RangeError('quota ratios are decimals with at most 6 places');
  if (!Number.isInteger(p.registeredPoorPopulation) || p.registeredPoorPopulation < 0)
    throw new RangeError('the registered poor population is a whole number ≥ 0');
  // round-half-up(pop × r / 10⁶) = ⌊(pop × r + 10⁶/2) / 10⁶⌋, exact in integers below 2⁵³.
  const quota = Math.floor((p.registeredPoorPopulation * r + MILLION / 2) / MILLION);
  const hardLimit = Math.floor((quota * (MILLION + o)) / MILLION);
  return { quota, hardLimit };
}

export type QuotaJudgement =
  | { ok: true; override: boolean }
  | { ok: false; code: 'quota_override_required'; after: number; quota: number; hardLimit: number }
  | { ok: false; code: 'quota_exceeded'; after: number; quota: number; hardLimit: number };

/**
 * Whether `persons` more identified persons fit, given `used` already. Within Q: fine. Up to the hard
 * limit: only with an override reason. Beyond it: refused.
 */
export function judgeQuota(used: number, persons: number, limits: QuotaLimits, overrideReason: string): QuotaJudgement {
  const after = used + persons;
  if (after <= limits.quota) return { ok: true, override: false };
  if (after > limits.hardLimit) return { ok: false, code: 'quota_exceeded', after, ...limits };
  if (overrideReason.trim() === '') return { ok: false, code: 'quota_override_required', after, ...limits };
  return { ok: true, override: true };
}
