import { DateTime } from 'luxon';

export const GROUPINGS = ['day', 'week', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** Longest period one report covers: a year, leap or not. */
export const MAX_REPORT_DAYS = 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day `YYYY-MM-DD`, or null when the text is not one (2026-02-30 is not). */
export function parseDay(text: string): DateTime | null {
  if (!DAY.test(text)) return null;
  const day = DateTime.fromISO(text, { zone: 'UTC' });
  return day.isValid ? day : null;
}

/** Number of calendar days from `from` to `to`, both included. */
export function daysIncluded(from: string, to: string): number {
  return parseDay(to)!.diff(parseDay(from)!, 'days').days + 1;
}

/** The period a local day falls in: the day itself, the Monday of its ISO week, or its month (`YYYY-MM`). */
export function periodOf(day: string, grouping: Grouping): string {
  if (grouping === 'day') return day;
  const date = parseDay(day)!;
  return grouping === 'week' ? date.startOf('week').toISODate()! : date.toFormat('yyyy-MM');
}

/** Every period touching the range, in order, so that empty periods still show. */
export function periodsBetween(from: string, to: string, grouping: Grouping): string[] {
  const periods: string[] = [];
  const last = parseDay(to)!;
  for (let day = parseDay(from)!; day <= last; day = day.plus({ days: 1 })) {
    const period = periodOf(day.toISODate()!, grouping);
    if (periods[periods.length - 1] !== period) periods.push(period);
  }
  return periods;
}

/** How a period is written in Vietnamese exports: 05/11/2026, "Tuần từ 02/11/2026", "Tháng 11/2026". */
export function periodLabel(period: string, grouping: Grouping): string {
  if (grouping === 'month') return `Tháng ${period.slice(5, 7)}/${period.slice(0, 4)}`;
  const text = parseDay(period)!.toFormat('dd/MM/yyyy');
  return grouping === 'week' ? `Tuần từ ${text}` : text;
}

/** A day as Vietnamese documents write it: 05/11/2026. */
export function vietnameseDate(day: string): string {
  return parseDay(day)!.toFormat('dd/MM/yyyy');
}
