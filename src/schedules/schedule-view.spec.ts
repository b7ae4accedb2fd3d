import { isFinishedOneOff } from './schedule-view';
import { ScheduleStatus } from './schedule-status';
import { Schedule } from './schedule.entity';

describe('a one-off that has aired', () => {
  const startsAt = new Date('2026-12-06T06:00:00Z');
  // 600 s of misfire grace, a 5 min program: nothing of it can start or play after 06:15.
  const oneOff = (extra: Partial<Schedule> = {}) =>
    Object.assign(new Schedule(), { status: ScheduleStatus.Active, startsAt, rrule: null, misfireGraceSeconds: 600, programMs: 300_000, ...extra });

  it('is finished once its instant, grace and program are past', () => {
    expect(isFinishedOneOff(oneOff(), new Date('2026-12-06T06:14:59Z'))).toBe(false);
    expect(isFinishedOneOff(oneOff(), new Date('2026-12-06T06:15:00Z'))).toBe(true);
  });

  it('is not finished while paused or cancelled (it did not air), nor when it recurs', () => {
    const later = new Date('2026-12-07T00:00:00Z');
    expect(isFinishedOneOff(oneOff({ status: ScheduleStatus.Paused }), later)).toBe(false);
    expect(isFinishedOneOff(oneOff({ status: ScheduleStatus.Cancelled }), later)).toBe(false);
    expect(isFinishedOneOff(oneOff({ startsAt: null, rrule: 'DTSTART:20261206T000000\nRRULE:FREQ=DAILY;BYHOUR=6' }), later)).toBe(false);
  });
});
