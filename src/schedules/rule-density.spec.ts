import { normaliseRrule, ruleOptions } from './recurrence';
import { checkDensity, ruleDensity } from './rule-density';

const density = (rrule: string) => ruleDensity(ruleOptions(normaliseRrule(rrule, 'Asia/Ho_Chi_Minh', new Date('2026-01-01T00:00:00Z'), { allowMinutely: true })));

describe('rule density', () => {
  it.each([
    ['FREQ=DAILY;BYHOUR=6,17', { perDay: 2, minSpacingSeconds: 11 * 3600 }],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=23;BYMINUTE=58', { perDay: 1, minSpacingSeconds: 86_400 }],
    ['FREQ=DAILY;BYHOUR=0,23;BYMINUTE=58', { perDay: 2, minSpacingSeconds: 3600 }],
    ['FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,10', { perDay: 10, minSpacingSeconds: 600 }],
    ['FREQ=HOURLY;BYHOUR=6,7;BYMINUTE=50', { perDay: 2, minSpacingSeconds: 3600 }],
    ['DTSTART:20260101T060000\nRRULE:FREQ=MINUTELY;INTERVAL=30', { perDay: 48, minSpacingSeconds: 1800 }],
  ])('%s', (rrule, expected) => {
    expect(density(rrule)).toEqual(expected);
  });

  it('refuses a rule denser than the commune, or than its own program allows, naming the setting', () => {
    const limits = { minSpacingMinutes: 5, maxPerDay: 48, programMs: 60_000 };
    expect(() => checkDensity({ perDay: 72, minSpacingSeconds: 1200 }, limits)).toThrow(/up to 72 times a day; this commune allows at most 48 \(maxOccurrencesPerDay\)/);
    expect(() => checkDensity({ perDay: 2, minSpacingSeconds: 120 }, limits)).toThrow(/2 min apart; this commune needs at least 5 min/);
    expect(() => checkDensity({ perDay: 2, minSpacingSeconds: 600 }, { ...limits, programMs: 900_000 })).toThrow(/10 min apart but its program lasts 15 min/);
    expect(() => checkDensity({ perDay: 288, minSpacingSeconds: 300 }, { ...limits, maxPerDay: null })).not.toThrow();
  });
});
