import { RRule } from 'rrule';
import { parseTimeOfDay, ruleTimes, timeItems, timesRule } from './times-of-day';

describe('times of day as people write them', () => {
  it.each([
    ['6h', '06:00'],
    ['6H', '06:00'],
    ['6h30', '06:30'],
    ['6g30', '06:30'],
    ['17h30', '17:30'],
    ['17:30', '17:30'],
    ['6:00', '06:00'],
    ['06:00', '06:00'],
    ['6.05', '06:05'],
    ['0h', '00:00'],
    ['23h59', '23:59'],
  ])('reads "%s" as %s', (item, expected) => {
    expect(parseTimeOfDay(item)).toBe(expected);
  });

  it.each(['6', '24h', '17h60', '6h3', '6:', 'sáu giờ', '6h30p', '-1h', ''])('refuses "%s"', (item) => {
    expect(parseTimeOfDay(item)).toBeNull();
  });

  it('splits a list on commas, semicolons and spaces', () => {
    expect(timeItems('6h, 17h30;  11:30 ')).toEqual(['6h', '17h30', '11:30']);
  });
});

describe('the rule for several times of day', () => {
  const day = (rule: string) =>
    new RRule({ ...RRule.parseString(rule), dtstart: new Date(Date.UTC(2026, 11, 7)) })
      .between(new Date(Date.UTC(2026, 11, 7)), new Date(Date.UTC(2026, 11, 8)), true)
      .map((at) => at.toISOString().slice(11, 16));

  it('times on a cross of hours and minutes need no BYSETPOS', () => {
    expect(timesRule(['06:00', '17:00'], null)).toBe('FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0');
  });

  it('06:00, 11:30 and 17:30 air at exactly those times, not at 06:30, 11:00 or 17:00', () => {
    const rule = timesRule(['06:00', '11:30', '17:30'], null);
    expect(rule).toBe('FREQ=DAILY;BYHOUR=6,11,17;BYMINUTE=0,30;BYSECOND=0;BYSETPOS=1,4,6');
    expect(day(rule)).toEqual(['06:00', '11:30', '17:30']);
    expect(ruleTimes(Object.fromEntries(rule.split(';').map((part) => part.split('=') as [string, string])))).toEqual(['06:00', '11:30', '17:30']);
  });

  it('weekdays keep their days: Monday 7 December 2026 airs, Sunday none', () => {
    const rule = timesRule(['06:00', '17:30'], 'MO,TU,WE,TH,FR');
    expect(day(rule)).toEqual(['06:00', '17:30']);
    const sunday = new RRule({ ...RRule.parseString(rule), dtstart: new Date(Date.UTC(2026, 11, 6)) }).between(
      new Date(Date.UTC(2026, 11, 6)),
      new Date(Date.UTC(2026, 11, 7)),
      false,
    );
    expect(sunday).toEqual([]);
  });
});
