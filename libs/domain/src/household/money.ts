import type { Household, Income } from './types';

// Money in the model is yuan with at most 2 decimals (DOMAIN.md §3). All arithmetic is done in
// integer fen (分) so that no floating-point rounding decides a boundary such as "below the line".

/** The largest amount accepted anywhere in the model, in yuan (absolute value). */
export const MAX_AMOUNT_YUAN = 100_000_000;

export type MoneyProblem = 'too_many_decimals' | 'not_finite';

/**
 * Exact fen for a yuan amount, or the reason there is none. Reads the shortest decimal spelling of
 * the number (what JSON carries), so 0.29 is 29 fen although 0.29 × 100 is 28.999999999999996.
 */
export function parseFen(yuan: number): { ok: true; fen: number } | { ok: false; problem: MoneyProblem } {
  if (typeof yuan !== 'number' || !Number.isFinite(yuan)) return { ok: false, problem: 'not_finite' };
  const text = String(Math.abs(yuan));
  // Exponent spellings only occur below 1e-6 (too many decimals) or from 1e21 (beyond exact fen).
  if (text.includes('e')) return { ok: false, problem: text.includes('e-') ? 'too_many_decimals' : 'not_finite' };
  const [whole, frac = ''] = text.split('.');
  if (frac.length > 2) return { ok: false, problem: 'too_many_decimals' };
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return { ok: false, problem: 'not_finite' };
  return { ok: true, fen: yuan < 0 ? -fen : fen };
}

/** Integer fen for a yuan amount; throws RangeError for more than 2 decimals or a non-finite number. */
export function toFen(yuan: number): number {
  const r = parseFen(yuan);
  if (!r.ok)
    throw new RangeError(
      r.problem === 'too_many_decimals' ? 'amount has more than 2 decimals' : 'amount is not a finite number of fen',
    );
  return r.fen;
}

/** Net income = wage + business + property + transfer (DOMAIN.md §3), in fen. */
export function netIncomeFen(income: Income): number {
  return toFen(income.wage) + toFen(income.business) + toFen(income.property) + toFen(income.transfer);
}

/**
 * Per-capita net income in fen, rounded down to a whole fen; null when the household has no income
 * record (unknown is not zero). Rounding down keeps threshold tests exact: for a whole-fen line L,
 * floor(x) < L ⇔ x < L. Where a line is not whole fen, compare netIncomeFen with line × members instead.
 */
export function perCapitaIncomeFen(household: Pick<Household, 'income' | 'members'>): number | null {
  if (household.income === undefined || household.members.length === 0) return null;
  return Math.floor(netIncomeFen(household.income) / household.members.length);
}
