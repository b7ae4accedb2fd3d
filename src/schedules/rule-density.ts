import { Frequency, RRule } from 'rrule';
import { RecurrenceError } from './recurrence-error';

const DAY_SECONDS = 86_400;

/** How often a rule can air at most: occurrences in one day, and the shortest time between two of them. */
export interface RuleDensity {
  perDay: number;
  minSpacingSeconds: number;
}

/**
 * The density a rule can reach, from its times of day (BYHOUR × BYMINUTE × BYSECOND, as rrule reads them with what
 * DTSTART implies): every day a coarser rule matches airs at those times. An HOURLY rule without BYHOUR repeats its
 * minutes every INTERVAL hours, a MINUTELY one its seconds every INTERVAL minutes. A DAILY rule's BYSETPOS picks among
 * one day's times (how 06:00 and 17:30 share a rule: BYHOUR=6,17;BYMINUTE=0,30;BYSETPOS=1,4), so those picked are
 * counted; elsewhere BYSETPOS, which can only thin them out, is not counted, and the figure is an upper bound.
 */
export function ruleDensity(options: RRule['options']): RuleDensity {
  if (options.freq === Frequency.DAILY && options.bysetpos?.length) return pickedTimesOfDay(options);
  const seconds = { values: options.bysecond ?? [0], unitSeconds: 1 };
  if (options.freq === Frequency.MINUTELY && !options.byminute && !options.byhour) return periodic([seconds], options.interval * 60);
  const minutes = { values: options.byminute ?? range(60), unitSeconds: 60 };
  if (options.freq === Frequency.HOURLY && !options.byhour) return periodic([minutes, seconds], options.interval * 3600);
  return periodic([{ values: options.byhour ?? range(24), unitSeconds: 3600 }, minutes, seconds], DAY_SECONDS);
}

/** One part of the time of day (hours, minutes or seconds): its values and how many seconds one step of it is. */
interface TimePart {
  values: number[];
  unitSeconds: number;
}

/**
 * Every combination of the parts' values (coarsest part first), as offsets in seconds repeated every `period`
 * seconds, measured without listing the combinations (up to 86,400 of them). A finer part spans less than one step
 * of the coarser, so the offsets are in the parts' order, and the closest two are either neighbours within one part
 * (the coarser parts equal, the finer ones at their last and then first values) or the last and the first across
 * the period's end.
 */
function periodic(parts: TimePart[], period: number): RuleDensity {
  const sorted = parts.map((part) => ({ values: [...new Set(part.values)].sort((a, b) => a - b), unitSeconds: part.unitSeconds }));
  const span = (part: TimePart) => part.unitSeconds * (part.values[part.values.length - 1] - part.values[0]);
  const combinations = sorted.reduce((count, part) => count * part.values.length, 1);
  let minSpacingSeconds = period - sorted.reduce((total, part) => total + span(part), 0);
  sorted.forEach((part, index) => {
    const finerSpan = sorted.slice(index + 1).reduce((total, finer) => total + span(finer), 0);
    for (let step = 1; step < part.values.length; step++) {
      minSpacingSeconds = Math.min(minSpacingSeconds, part.unitSeconds * (part.values[step] - part.values[step - 1]) - finerSpan);
    }
  });
  return { perDay: combinations * Math.max(1, Math.ceil(DAY_SECONDS / period)), minSpacingSeconds };
}

/**
 * The times of day a DAILY rule's BYSETPOS picks: the day's candidates (at most 24 × 60 × 60, listed once, in order)
 * at those positions, counted from the first (1) or the last (-1), and their closest two, across midnight too.
 */
function pickedTimesOfDay(options: RRule['options']): RuleDensity {
  const hours = [...new Set(options.byhour ?? range(24))].sort((a, b) => a - b);
  const minutes = [...new Set(options.byminute ?? range(60))].sort((a, b) => a - b);
  const seconds = [...new Set(options.bysecond ?? [0])].sort((a, b) => a - b);
  const candidates = hours.flatMap((hour) => minutes.flatMap((minute) => seconds.map((second) => hour * 3600 + minute * 60 + second)));
  const picked = [
    ...new Set(options.bysetpos!.map((position) => candidates[position > 0 ? position - 1 : candidates.length + position]).filter((at) => at !== undefined)),
  ].sort((a, b) => a - b);
  if (picked.length === 0) return { perDay: 0, minSpacingSeconds: DAY_SECONDS };
  const gaps = picked.slice(1).map((at, index) => at - picked[index]);
  return { perDay: picked.length, minSpacingSeconds: Math.min(DAY_SECONDS - (picked[picked.length - 1] - picked[0]), ...gaps) };
}

function range(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}

export interface DensityLimits {
  /** The commune's least time between two occurrences of one schedule. */
  minSpacingMinutes: number;
  /** The commune's most occurrences of one schedule in a day; null for Loa's own emergency repeats, bounded by their stop. */
  maxPerDay: number | null;
  /** The program's length: occurrences closer than this would cut into each other. */
  programMs: number;
}

/** Refuses a rule denser than the commune allows, or so dense that its program would still be playing at the next occurrence. */
export function checkDensity(density: RuleDensity, limits: DensityLimits): void {
  if (limits.maxPerDay !== null && density.perDay > limits.maxPerDay) {
    throw new RecurrenceError(
      `the rule can air up to ${density.perDay} times a day; this commune allows at most ${limits.maxPerDay} (maxOccurrencesPerDay). Use fewer BYHOUR/BYMINUTE values`,
    );
  }
  if (density.minSpacingSeconds < limits.minSpacingMinutes * 60) {
    throw new RecurrenceError(
      `the rule airs ${spacing(density.minSpacingSeconds)} apart; this commune needs at least ${limits.minSpacingMinutes} min between two occurrences (minOccurrenceSpacingMinutes)`,
    );
  }
  if (density.minSpacingSeconds * 1000 < limits.programMs) {
    throw new RecurrenceError(
      `the rule airs ${spacing(density.minSpacingSeconds)} apart but its program lasts ${spacing(Math.ceil(limits.programMs / 1000))}: each broadcast would cut into the next; space the occurrences further apart`,
    );
  }
}

function spacing(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} s`;
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`;
}
