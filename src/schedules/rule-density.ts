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
  const seconds = options.bysecond ?? [0];
  if (options.freq === Frequency.MINUTELY && !options.byminute && !options.byhour) return periodic(seconds, options.interval * 60);
  const minutes = options.byminute ?? range(60);
  const inHour = minutes.flatMap((minute) => seconds.map((second) => minute * 60 + second));
  if (options.freq === Frequency.HOURLY && !options.byhour) return periodic(inHour, options.interval * 3600);
  const hours = options.byhour ?? range(24);
  return periodic(hours.flatMap((hour) => inHour.map((offset) => hour * 3600 + offset)), DAY_SECONDS);
}

/** Offsets (seconds) repeated every `period` seconds. */
function periodic(offsets: number[], period: number): RuleDensity {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const perDay = sorted.length * Math.max(1, Math.ceil(DAY_SECONDS / period));
  let minSpacingSeconds = period - (sorted[sorted.length - 1] - sorted[0]);
  for (let index = 1; index < sorted.length; index++) minSpacingSeconds = Math.min(minSpacingSeconds, sorted[index] - sorted[index - 1]);
  return { perDay, minSpacingSeconds };
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
