import { BadRequestException, Injectable } from '@nestjs/common';
import { Frequency } from 'rrule';
import { Commune } from '../communes/commune.entity';
import { localIso, ruleOptions } from './recurrence';
import { RecurrenceEngine } from './recurrence-engine';
import { RecurrenceError } from './recurrence-error';
import { checkDensity, ruleDensity } from './rule-density';
import { Schedule } from './schedule.entity';

/** How far ahead a schedule must have an occurrence to be saved. */
const MUST_AIR_WITHIN_YEARS = 5;
const YEAR_MS = 365.25 * 86_400_000;

/**
 * What a schedule's timing must satisfy before it is saved, beyond its parts (rule-parts.ts): no denser than its
 * commune allows nor than its own program fits, and at least one occurrence in the next five years, found by a
 * bounded search on RecurrenceEngine's threads. Answers a 400 naming what to change.
 */
@Injectable()
export class ScheduleTimingCheck {
  constructor(private readonly engine: RecurrenceEngine) {}

  async check(schedule: Schedule, commune: Commune, programMs: number): Promise<void> {
    try {
      if (schedule.rrule) {
        const options = ruleOptions(schedule.rrule);
        checkDensity(ruleDensity(options), {
          minSpacingMinutes: commune.minOccurrenceSpacingMinutes,
          // MINUTELY rules are only Loa's emergency repeats, which end at their `until` or their stop.
          maxPerDay: options.freq === Frequency.MINUTELY ? null : commune.maxOccurrencesPerDay,
          programMs,
        });
      }
      const from = new Date(Math.max(Date.now(), schedule.validFrom?.getTime() ?? 0));
      const to = new Date(from.getTime() + MUST_AIR_WITHIN_YEARS * YEAR_MS);
      if (await this.engine.first(schedule, from, to)) return;
      const until = schedule.validUntil && schedule.validUntil < to ? schedule.validUntil : to;
      throw new RecurrenceError(
        `the schedule has no occurrence between ${localIso(from, schedule.timezone)} and ${localIso(until, schedule.timezone)}, so it would never air; check the rule, startsAt and validity`,
      );
    } catch (error) {
      if (error instanceof RecurrenceError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
