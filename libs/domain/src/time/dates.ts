/**
 * Calendar dates as 'YYYY-MM-DD' strings. Domain dates are civil dates in China; comparing the
 * strings compares the dates, so no Date object (and no time zone) is involved except in todayInChina.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Strictly 'YYYY-MM-DD' and a real calendar date (so '2021-02-29' is not). */
export function isValidDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Today's date in China Standard Time (UTC+8, no daylight saving), the civil date officers see. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Age in completed years (周岁) on `asOf` (DOMAIN.md §2). Someone born on 29 February turns a year
 * older on 1 March in common years, which is what comparing (month, day) pairs gives.
 */
export function ageOn(birthDate: string, asOf: string): number {
  if (!isValidDate(birthDate) || !isValidDate(asOf)) throw new RangeError('ageOn needs two YYYY-MM-DD dates');
  if (asOf < birthDate) throw new RangeError('ageOn: the as-of date is before the birth date');
  const by = Number(birthDate.slice(0, 4));
  const ay = Number(asOf.slice(0, 4));
  const hadBirthday = asOf.slice(5) >= birthDate.slice(5);
  return ay - by - (hadBirthday ? 0 : 1);
}
