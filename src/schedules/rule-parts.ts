import { RecurrenceError } from './recurrence-error';

/**
 * RFC 5545 §3.3.10 checked part by part before rrule sees a rule: rrule's parser takes `INTERVAL=-1`, `BYSETPOS=0`
 * or `BYHOUR=25` as they come, and its iterator then loops for ever or walks to the year 9999. Every message names
 * the part and the range it must keep to.
 */

type Frequency = 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY' | 'MINUTELY' | 'SECONDLY';

const FREQUENCIES: readonly Frequency[] = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The largest INTERVAL per frequency: one period at most five years, so a rule cannot be saved and never air again. */
export const MAX_INTERVAL: Record<Frequency, number> = {
  YEARLY: 5,
  MONTHLY: 60,
  WEEKLY: 260,
  DAILY: 1826,
  HOURLY: 43_824,
  MINUTELY: 1440,
  SECONDLY: 1,
};
export const MAX_COUNT = 10_000;

interface NumberList {
  min: number;
  max: number;
  /** Negative values count from the end (−1 = last) and zero is not allowed. */
  signed: boolean;
  /** Frequencies the part may not be used with (RFC 5545 §3.3.10). */
  notWith?: Frequency[];
  /** Frequencies the part may only be used with. */
  onlyWith?: Frequency[];
}

const NUMBER_LISTS: Record<string, NumberList> = {
  BYSECOND: { min: 0, max: 59, signed: false },
  BYMINUTE: { min: 0, max: 59, signed: false },
  BYHOUR: { min: 0, max: 23, signed: false },
  BYMONTHDAY: { min: 1, max: 31, signed: true, notWith: ['WEEKLY'] },
  BYYEARDAY: { min: 1, max: 366, signed: true, notWith: ['DAILY', 'WEEKLY', 'MONTHLY'] },
  BYWEEKNO: { min: 1, max: 53, signed: true, onlyWith: ['YEARLY'] },
  BYMONTH: { min: 1, max: 12, signed: false },
  BYSETPOS: { min: 1, max: 366, signed: true },
};
const OTHER_PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'WKST']);

/** Days in each month of a leap year: BYMONTHDAY=31 with only BYMONTH=2,4 can never match. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The parts of an RRULE body (`FREQ=DAILY;BYHOUR=6`), checked; throws RecurrenceError naming the first bad part. */
export function checkRuleParts(body: string): void {
  const parts = new Map<string, string>();
  for (const piece of body.split(';')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(piece.trim());
    if (!match) throw new RecurrenceError(`rrule part "${piece.slice(0, 40)}" must read NAME=VALUE, e.g. BYHOUR=6`);
    const name = match[1].toUpperCase();
    if (!(name in NUMBER_LISTS) && !OTHER_PARTS.has(name)) throw new RecurrenceError(`rrule part ${name} is not an RFC 5545 rule part`);
    if (parts.has(name)) throw new RecurrenceError(`rrule gives ${name} twice; give it once`);
    if (match[2] === '') throw new RecurrenceError(`rrule part ${name} has no value`);
    parts.set(name, match[2].toUpperCase());
  }
  const freq = parts.get('FREQ') as Frequency | undefined;
  if (freq === undefined) throw new RecurrenceError('rrule must give FREQ, e.g. FREQ=DAILY');
  if (!FREQUENCIES.includes(freq)) throw new RecurrenceError(`rrule FREQ=${freq.slice(0, 20)} is not a frequency; use YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY`);
  const interval = parts.get('INTERVAL');
  if (interval !== undefined) checkWhole('INTERVAL', interval, 1, MAX_INTERVAL[freq], ` for FREQ=${freq} (one period may last at most five years)`);
  const count = parts.get('COUNT');
  if (count !== undefined) checkWhole('COUNT', count, 1, MAX_COUNT);
  const wkst = parts.get('WKST');
  if (wkst !== undefined && !WEEKDAYS.includes(wkst)) throw new RecurrenceError(`rrule WKST=${wkst.slice(0, 10)} must be a weekday: ${WEEKDAYS.join(', ')}`);
  const lists = new Map<string, number[]>();
  for (const [name, rule] of Object.entries(NUMBER_LISTS)) {
    const value = parts.get(name);
    if (value === undefined) continue;
    if (rule.notWith?.includes(freq)) throw new RecurrenceError(`rrule ${name} cannot be used with FREQ=${freq} (RFC 5545)`);
    if (rule.onlyWith && !rule.onlyWith.includes(freq)) throw new RecurrenceError(`rrule ${name} can only be used with FREQ=${rule.onlyWith.join(' or ')}`);
    lists.set(name, numberList(name, value, rule));
  }
  const byday = parts.get('BYDAY');
  if (byday !== undefined) checkByday(byday, freq, parts.has('BYWEEKNO'));
  if (parts.has('BYSETPOS') && ![...lists.keys(), ...(byday ? ['BYDAY'] : [])].some((name) => name !== 'BYSETPOS')) {
    throw new RecurrenceError('rrule BYSETPOS picks among the occurrences another BYxxx part makes (e.g. BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1); give one');
  }
  checkMonthDays(lists.get('BYMONTH'), lists.get('BYMONTHDAY'));
}

function checkWhole(name: string, text: string, min: number, max: number, context = ''): number {
  if (!/^\+?\d{1,9}$/.test(text)) throw new RecurrenceError(`rrule ${name}=${text.slice(0, 20)} must be a whole number from ${min} to ${max}${context}`);
  const value = Number(text);
  if (value < min || value > max) throw new RecurrenceError(`rrule ${name}=${text} must be from ${min} to ${max}${context}`);
  return value;
}

function numberList(name: string, text: string, rule: NumberList): number[] {
  const range = rule.signed ? `${rule.min} to ${rule.max} or -${rule.max} to -${rule.min}` : `${rule.min} to ${rule.max}`;
  return text.split(',').map((item) => {
    if (!/^[+-]?\d{1,4}$/.test(item)) throw new RecurrenceError(`rrule ${name} holds "${item.slice(0, 10)}"; each value must be a whole number from ${range}`);
    const value = Number(item);
    const magnitude = Math.abs(value);
    if ((value < 0 && !rule.signed) || magnitude < rule.min || magnitude > rule.max || (rule.signed && value === 0)) {
      throw new RecurrenceError(`rrule ${name}=${item} is out of range; each value must be from ${range}`);
    }
    return value;
  });
}

function checkByday(text: string, freq: Frequency, withWeekno: boolean): void {
  for (const item of text.split(',')) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) throw new RecurrenceError(`rrule BYDAY holds "${item.slice(0, 10)}"; use weekdays such as MO,WE,FR, or 1MO / -1FR in a MONTHLY or YEARLY rule`);
    if (match[1] === undefined) continue;
    if (freq !== 'MONTHLY' && freq !== 'YEARLY') throw new RecurrenceError(`rrule BYDAY=${item} numbers a weekday, which only FREQ=MONTHLY or YEARLY allows`);
    if (freq === 'YEARLY' && withWeekno) throw new RecurrenceError(`rrule BYDAY=${item} cannot number a weekday together with BYWEEKNO`);
    const ordinal = Math.abs(Number(match[1]));
    const max = freq === 'MONTHLY' ? 5 : 53;
    if (ordinal < 1 || ordinal > max)
      throw new RecurrenceError(`rrule BYDAY=${item}: the number before the weekday must be 1 to ${max} or -${max} to -1 with FREQ=${freq}`);
  }
}

/** BYMONTHDAY and BYMONTH that never meet (31 February, 31 April) would make rrule search to the year 9999. */
function checkMonthDays(months: number[] | undefined, days: number[] | undefined): void {
  if (!months || !days) return;
  const fits = months.some((month) => days.some((day) => Math.abs(day) <= MONTH_DAYS[month - 1]));
  if (!fits) throw new RecurrenceError(`rrule BYMONTHDAY=${days.join(',')} never falls in BYMONTH=${months.join(',')}; no such day exists`);
}
