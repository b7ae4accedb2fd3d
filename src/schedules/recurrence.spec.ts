import { normaliseRrule, occurrencesBetween, rruleTzid, ScheduleTiming, wallToInstant } from './recurrence';
import { RecurrenceError } from './recurrence-error';

const HCM = 'Asia/Ho_Chi_Minh';
const LONDON = 'Europe/London';

function recurring(rrule: string, timezone = HCM, anchor = '2026-01-01T00:00:00Z', window: Partial<ScheduleTiming> = {}): ScheduleTiming {
  return { startsAt: null, rrule: normaliseRrule(rrule, timezone, new Date(anchor)), timezone, validFrom: null, validUntil: null, ...window };
}

const instants = (timing: ScheduleTiming, from: string, to: string) =>
  occurrencesBetween(timing, new Date(from), new Date(to)).map((occurrence) => occurrence.at.toISOString());
const locals = (timing: ScheduleTiming, from: string, to: string) => occurrencesBetween(timing, new Date(from), new Date(to)).map((occurrence) => occurrence.local);

describe('recurrence', () => {
  describe('daily slots in Asia/Ho_Chi_Minh', () => {
    const daily = recurring('FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0', HCM, '2025-12-31T17:00:00Z');

    it('airs at 06:00 and 17:00 local, i.e. 23:00 the day before and 10:00 UTC', () => {
      expect(instants(daily, '2025-12-31T17:00:00Z', '2026-01-02T17:00:00Z')).toEqual([
        '2025-12-31T23:00:00.000Z',
        '2026-01-01T10:00:00.000Z',
        '2026-01-01T23:00:00.000Z',
        '2026-01-02T10:00:00.000Z',
      ]);
      expect(locals(daily, '2025-12-31T17:00:00Z', '2026-01-01T17:00:00Z')).toEqual(['2026-01-01T06:00:00+07:00', '2026-01-01T17:00:00+07:00']);
    });

    it('answers the window half-open: from included, to excluded', () => {
      expect(instants(daily, '2026-01-01T10:00:00Z', '2026-01-01T23:00:00Z')).toEqual(['2026-01-01T10:00:00.000Z']);
    });

    it('gives the same instants when the rule carries its own DTSTART;TZID', () => {
      const withStart = recurring('DTSTART;TZID=Asia/Ho_Chi_Minh:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0');
      expect(instants(withStart, '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z')).toEqual(['2026-01-03T10:00:00.000Z', '2026-01-03T23:00:00.000Z']);
      expect(rruleTzid('DTSTART;TZID=Asia/Ho_Chi_Minh:20260101T000000\nRRULE:FREQ=DAILY')).toBe(HCM);
    });

    it('takes the time of day from a local DTSTART when BYHOUR is absent', () => {
      const rule = recurring('DTSTART:20260105T173000\nRRULE:FREQ=DAILY');
      expect(locals(rule, '2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z')).toEqual(['2026-01-05T17:30:00+07:00', '2026-01-06T17:30:00+07:00']);
    });
  });

  it('weekdays only: Monday to Friday, never the weekend', () => {
    const weekdays = recurring('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6;BYMINUTE=0;BYSECOND=0');
    // 2026-01-05 is a Monday; the window covers two whole weeks in local time.
    const found = occurrencesBetween(weekdays, new Date('2026-01-04T17:00:00Z'), new Date('2026-01-18T17:00:00Z'));
    expect(found).toHaveLength(10);
    expect(found.map((occurrence) => occurrence.local.slice(0, 10))).toEqual([
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
      '2026-01-15',
      '2026-01-16',
    ]);
  });

  describe('UNTIL and COUNT', () => {
    it('a local UNTIL includes the slot at that very time', () => {
      const rule = recurring('FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0;UNTIL=20260103T060000');
      expect(locals(rule, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z').map((local) => local.slice(0, 10))).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    });

    it('a UTC UNTIL (…Z) is an instant: 23:00Z is 06:00 local the next day', () => {
      const including = recurring('FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0;UNTIL=20260102T230000Z');
      const excluding = recurring('FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0;UNTIL=20260102T225959Z');
      expect(instants(including, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z')).toHaveLength(3);
      expect(instants(excluding, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z')).toHaveLength(2);
    });

    it('a date-only UNTIL runs through that local day', () => {
      const rule = recurring('FREQ=DAILY;BYHOUR=17;BYMINUTE=0;BYSECOND=0;UNTIL=20260102');
      expect(locals(rule, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual(['2026-01-01T17:00:00+07:00', '2026-01-02T17:00:00+07:00']);
    });

    it('COUNT counts from DTSTART, whatever window is asked', () => {
      const rule = recurring('DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0;COUNT=3');
      expect(instants(rule, '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
        '2025-12-31T23:00:00.000Z',
        '2026-01-01T10:00:00.000Z',
        '2026-01-01T23:00:00.000Z',
      ]);
      expect(instants(rule, '2026-01-01T12:00:00Z', '2027-01-01T00:00:00Z')).toEqual(['2026-01-01T23:00:00.000Z']);
    });
  });

  describe('validity window', () => {
    const rule = (validFrom: string | null, validUntil: string | null) =>
      recurring('FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0', HCM, '2026-01-01T00:00:00Z', {
        validFrom: validFrom ? new Date(validFrom) : null,
        validUntil: validUntil ? new Date(validUntil) : null,
      });

    it('clips occurrences to validFrom and validUntil, both inclusive', () => {
      expect(instants(rule('2026-01-02T23:00:00Z', '2026-01-04T23:00:00Z'), '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual([
        '2026-01-02T23:00:00.000Z',
        '2026-01-03T23:00:00.000Z',
        '2026-01-04T23:00:00.000Z',
      ]);
    });

    it('answers nothing for a window outside validity', () => {
      expect(instants(rule(null, '2026-01-03T00:00:00Z'), '2026-01-10T00:00:00Z', '2026-01-20T00:00:00Z')).toEqual([]);
    });

    it('clips a one-off too', () => {
      const oneOff: ScheduleTiming = { startsAt: new Date('2026-03-01T01:00:00Z'), rrule: null, timezone: HCM, validFrom: null, validUntil: null };
      expect(occurrencesBetween(oneOff, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'))).toEqual([
        { at: new Date('2026-03-01T01:00:00Z'), local: '2026-03-01T08:00:00+07:00', shiftedByDst: false },
      ]);
      expect(
        occurrencesBetween({ ...oneOff, validUntil: new Date('2026-02-28T00:00:00Z') }, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z')),
      ).toEqual([]);
    });
  });

  describe('Europe/London across DST (2026: forward 29 March, back 25 October)', () => {
    it('06:00 stays 06:00 local across both changes', () => {
      const rule = recurring('FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0', LONDON);
      expect(instants(rule, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
        '2026-03-28T06:00:00.000Z',
        '2026-03-29T05:00:00.000Z',
        '2026-03-30T05:00:00.000Z',
      ]);
      expect(instants(rule, '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
        '2026-10-24T05:00:00.000Z',
        '2026-10-25T06:00:00.000Z',
        '2026-10-26T06:00:00.000Z',
      ]);
      const all = locals(rule, '2026-03-27T00:00:00Z', '2026-10-28T00:00:00Z');
      expect(all.every((local) => local.slice(11, 19) === '06:00:00')).toBe(true);
      expect(all).toHaveLength(215);
    });

    it('01:30 on the spring-forward day (does not exist) airs exactly once, at 02:30 BST, flagged', () => {
      const rule = recurring('FREQ=DAILY;BYHOUR=1;BYMINUTE=30;BYSECOND=0', LONDON);
      const found = occurrencesBetween(rule, new Date('2026-03-28T00:00:00Z'), new Date('2026-03-31T00:00:00Z'));
      expect(found.map((occurrence) => [occurrence.at.toISOString(), occurrence.local, occurrence.shiftedByDst])).toEqual([
        ['2026-03-28T01:30:00.000Z', '2026-03-28T01:30:00+00:00', false],
        ['2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00+01:00', true],
        ['2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00+01:00', false],
      ]);
    });

    it('01:30 on the fall-back day (exists twice) airs once, at its first instant (BST)', () => {
      const rule = recurring('FREQ=DAILY;BYHOUR=1;BYMINUTE=30;BYSECOND=0', LONDON);
      expect(instants(rule, '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
      ]);
    });

    it('converts wall times explicitly', () => {
      expect(wallToInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 0, second: 0 }, LONDON)).toEqual({
        at: new Date('2026-03-29T01:00:00Z'),
        shiftedByDst: true,
      });
      expect(wallToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 0, second: 0 }, LONDON)).toEqual({
        at: new Date('2026-03-29T01:00:00Z'),
        shiftedByDst: false,
      });
      expect(wallToInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 0, second: 0 }, LONDON)).toEqual({
        at: new Date('2026-10-25T00:00:00Z'),
        shiftedByDst: false,
      });
    });
  });

  describe('refuses rules a person must fix, saying what to write', () => {
    it.each([
      ['FREQ=DAILY', /BYHOUR/],
      ['FREQ=MINUTELY;BYHOUR=6', /FREQ must be/],
      ['BYHOUR=6', /FREQ/],
      ['FREQ=SOMETIMES;BYHOUR=6', /not a frequency/],
      ['DTSTART:20260101T060000Z\nRRULE:FREQ=DAILY', /local time/],
      ['DTSTART;TZID=Europe/London:20260101T060000\nRRULE:FREQ=DAILY', /differs from timezone/],
      ['DTSTART:20260231T060000\nRRULE:FREQ=DAILY', /not a valid date/],
      ['FREQ=DAILY;BYHOUR=6;COUNT=2;UNTIL=20260101T000000', /UNTIL or COUNT/],
      ['EXDATE:20260101T060000\nRRULE:FREQ=DAILY;BYHOUR=6', /only DTSTART and RRULE/],
      ['', /must hold an RRULE/],
    ])('%j', (rrule, message) => {
      expect(() => normaliseRrule(rrule, HCM, new Date())).toThrow(RecurrenceError);
      expect(() => normaliseRrule(rrule, HCM, new Date())).toThrow(message);
    });

    it('refuses an unknown zone', () => {
      expect(() => normaliseRrule('FREQ=DAILY;BYHOUR=6', 'Mars/Olympus', new Date())).toThrow(/IANA/);
    });

    it('refuses a window holding too many occurrences instead of answering a partial list', () => {
      const hourly = recurring('FREQ=HOURLY');
      expect(() => occurrencesBetween(hourly, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-10T00:00:00Z'), 100)).toThrow(/more than 100/);
    });
  });
});

describe('MINUTELY repeats of an emergency broadcast', () => {
  const { normaliseRrule: normalise, occurrencesBetween: between } = jest.requireActual<typeof import('./recurrence')>('./recurrence');

  it('are refused from people and accepted for emergency use', () => {
    expect(() => normalise('FREQ=MINUTELY;INTERVAL=30', 'Asia/Ho_Chi_Minh', new Date())).toThrow(/YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY/);
    expect(normalise('DTSTART:20261126T194000\nRRULE:FREQ=MINUTELY;INTERVAL=30', 'Asia/Ho_Chi_Minh', new Date(), { allowMinutely: true })).toBe(
      'DTSTART:20261126T194000\nRRULE:FREQ=MINUTELY;INTERVAL=30',
    );
    expect(() => normalise('DTSTART:20261126T194000\nRRULE:FREQ=SECONDLY', 'Asia/Ho_Chi_Minh', new Date(), { allowMinutely: true })).toThrow(/FREQ/);
  });

  it('expand every N minutes from DTSTART up to validUntil', () => {
    const rrule = 'DTSTART:20261126T194000\nRRULE:FREQ=MINUTELY;INTERVAL=30';
    const occurrences = between(
      { rrule, startsAt: null, timezone: 'Asia/Ho_Chi_Minh', validFrom: null, validUntil: new Date('2026-11-26T13:45:00Z') },
      new Date('2026-11-26T00:00:00Z'),
      new Date('2026-11-27T00:00:00Z'),
    );
    expect(occurrences.map((o) => o.at.toISOString())).toEqual(['2026-11-26T12:40:00.000Z', '2026-11-26T13:10:00.000Z', '2026-11-26T13:40:00.000Z']);
  });
});
