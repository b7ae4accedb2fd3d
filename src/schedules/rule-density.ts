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
 * minutes every INTERVAL hours, a MINUTELY one its seconds every INTERVAL minutes. BYSETPOS, which can only thin them
 * out, is not counted, so the figure is an upper bound.
 */
export function ruleDensity(options: RRule['options']): RuleDensity {
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
