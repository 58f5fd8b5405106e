/**
 * The workflows' calendar rules on civil dates ('YYYY-MM-DD', China time). Day counts are *(param)*
 * values from the county's workflow policy; these functions only do the arithmetic.
 */
import { isValidDate } from '../time/dates';

function toUtc(date: string): number {
  if (!isValidDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  return new Date(toUtc(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A public notice of n days opened on `openedOn` runs from that day to the (n − 1)th day after it,
 * both inclusive: 5 days opened on 1 December run 1–5 December and may close from 6 December.
 */
export function noticePeriod(openedOn: string, days: number): { startDate: string; endDate: string; days: number } {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('a notice lasts at least one day');
  return { startDate: openedOn, endDate: addDays(openedOn, days - 1), days };
}

/** An objection may be lodged on any day of the notice period. */
export function withinNotice(date: string, notice: { startDate: string; endDate: string }): boolean {
  return date >= notice.startDate && date <= notice.endDate;
}

export type NoticeClosing =
  | { ok: true }
  | { ok: false; code: 'notice_not_ended'; endDate: string }
  | { ok: false; code: 'objections_unresolved'; unresolved: number };

/** DOMAIN.md §6: the notice closes only after its end date, with every objection resolved. */
export function judgeNoticeClosing(
  today: string,
  notice: { endDate: string },
  objections: readonly { resolution: string }[],
): NoticeClosing {
  if (today <= notice.endDate) return { ok: false, code: 'notice_not_ended', endDate: notice.endDate };
  const unresolved = objections.filter((o) => o.resolution === '').length;
  if (unresolved > 0) return { ok: false, code: 'objections_unresolved', unresolved };
  return { ok: true };
}

/** The last day for the county decision: `decisionDays` after the first submission. */
export function decisionDueOn(submittedOn: string, decisionDays: number): string {
  return addDays(submittedOn, decisionDays);
}

/** Late: decided after the due day, or still undecided when today is past it. */
export function isLate(dueOn: string, today: string, decidedOn?: string): boolean {
  return (decidedOn ?? today) > dueOn;
}

/** Policies start on the first day of the month after approval (次月). */
export function policyStartDate(approvedOn: string): string {
  if (!isValidDate(approvedOn)) throw new RangeError(`not a YYYY-MM-DD date: ${approvedOn}`);
  const y = Number(approvedOn.slice(0, 4));
  const m = Number(approvedOn.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const QUARTER = /^(\d{4})Q([1-4])$/;

/** The quarter of a date, e.g. "2026Q4". */
export function quarterOf(date: string): string {
  if (!isValidDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return `${date.slice(0, 4)}Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
}

export function isQuarter(value: unknown): value is string {
  return typeof value === 'string' && QUARTER.test(value);
}
