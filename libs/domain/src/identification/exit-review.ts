/**
 * The quarterly review list (集中研判, DOMAIN.md §7): an identified household is proposed for exit when
 * none of the causes it was identified for triggers any more and its income is not below the line,
 * both by the current assessment. A household whose assessment failed (say, no line for the year)
 * cannot be judged and is not proposed.
 */
export interface CurrentAssessment {
  features: readonly string[];
  incomeBelowLine: boolean;
  /** Set when the household could not be assessed. */
  errorCode?: string;
}

export function proposedForExit(causes: readonly string[], current: CurrentAssessment | null): boolean {
  if (!current || current.errorCode) return false;
  if (current.incomeBelowLine) return false;
  return !causes.some((c) => current.features.includes(c));
}
