import { RRule } from 'rrule';
import { occurrencesBetween } from './recurrence';

/**
 * occurrencesBetween moves an old DTSTART forward to the window (so a rule from 1900 costs no more than one from
 * today); these compare it with rrule walking the same rule from its own DTSTART, in UTC so wall time = instant.
 */
const RULES = [
  'FREQ=DAILY;INTERVAL=3;BYHOUR=6,17',
  'FREQ=DAILY;BYHOUR=6;BYMINUTE=0,30;BYSETPOS=-1',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=6',
  'FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA;BYHOUR=7',
  'FREQ=WEEKLY;INTERVAL=2',
  'FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR;BYHOUR=8',
  'FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=6',
  'FREQ=MONTHLY;INTERVAL=2',
  'FREQ=YEARLY;INTERVAL=2',
  'FREQ=YEARLY;BYWEEKNO=1,20;BYDAY=MO;BYHOUR=9',
  'FREQ=YEARLY;BYYEARDAY=100,-1;BYHOUR=6',
  'FREQ=HOURLY;INTERVAL=5',
  'FREQ=HOURLY;INTERVAL=6;BYHOUR=5,6,11,12,17,23',
  'FREQ=MINUTELY;INTERVAL=37',
];
const DTSTARTS = ['20190317T051723', '20200229T060000', '20210131T235959', '20231105T000000'];
const WINDOWS = [
  ['2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z'],
  ['2028-02-27T12:00:00Z', '2028-03-02T00:00:00Z'],
];

describe('occurrencesBetween from an old DTSTART', () => {
  const cases = RULES.flatMap((rule) => DTSTARTS.map((dtstart) => [rule, dtstart] as const));

  it.each(cases)('%s from %s gives what rrule gives walking from DTSTART', (rule, dtstart) => {
    const rrule = `DTSTART:${dtstart}\nRRULE:${rule}`;
    const reference = RRule.fromString(rrule);
    for (const [from, to] of WINDOWS) {
      const expected = reference
        .between(new Date(from), new Date(to), true)
        .filter((at) => at < new Date(to))
        .map((at) => at.toISOString());
      const timing = { startsAt: null, rrule, timezone: 'UTC', validFrom: null, validUntil: null };
      expect(occurrencesBetween(timing, new Date(from), new Date(to)).map((occurrence) => occurrence.at.toISOString())).toEqual(expected);
    }
  });

  it('expands a rule started in 1900 from the window, not from 1900', () => {
    const rrule = 'DTSTART:19000101T000000\nRRULE:FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55';
    const timing = { startsAt: null, rrule, timezone: 'Asia/Ho_Chi_Minh', validFrom: null, validUntil: null };
    const walked = jest.spyOn(RRule.prototype, 'between');
    expect(occurrencesBetween(timing, new Date('2026-12-01T00:00:00Z'), new Date('2026-12-03T00:00:00Z'))).toHaveLength(576);
    // The rule rrule walked starts on the window's eve (a day of margin for zone offsets), not in 1900.
    expect((walked.mock.contexts[0] as RRule).options.dtstart.toISOString()).toBe('2026-11-30T06:00:00.000Z');
    walked.mockRestore();
  });
});
