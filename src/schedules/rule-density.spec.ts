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
    // 06:00, 11:30 and 17:30 in one rule: BYSETPOS picks them among the six times BYHOUR × BYMINUTE make.
    ['FREQ=DAILY;BYHOUR=6,11,17;BYMINUTE=0,30;BYSECOND=0;BYSETPOS=1,4,6', { perDay: 3, minSpacingSeconds: 5.5 * 3600 }],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6,17;BYMINUTE=0,3;BYSETPOS=1,-1', { perDay: 2, minSpacingSeconds: 11 * 3600 + 3 * 60 }],
    ['FREQ=DAILY;BYHOUR=6;BYMINUTE=0,2,40;BYSETPOS=1,2', { perDay: 2, minSpacingSeconds: 120 }],
  ])('%s', (rrule, expected) => {
    expect(density(rrule)).toEqual(expected);
  });

  it('agrees with listing every time of day, for random hours, minutes and seconds', () => {
    let seed = 7;
    const random = (below: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % below;
    const pick = (below: number) => [...new Set(Array.from({ length: 1 + random(5) }, () => random(below)))];
    for (let trial = 0; trial < 300; trial++) {
      const [hours, minutes, seconds] = [pick(24), pick(60), pick(60)];
      const offsets = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s))).sort((a, b) => a - b);
      const gaps = offsets.slice(1).map((offset, index) => offset - offsets[index]);
      const listed = { perDay: offsets.length, minSpacingSeconds: Math.min(86_400 - (offsets[offsets.length - 1] - offsets[0]), ...gaps) };
      expect({ hours, minutes, seconds, ...density(`FREQ=DAILY;BYHOUR=${hours};BYMINUTE=${minutes};BYSECOND=${seconds}`) }).toEqual({
        hours,
        minutes,
        seconds,
        ...listed,
      });
    }
  });

  it('measures a rule for every second of the day', () => {
    const all = (count: number) => Array.from({ length: count }, (_, index) => index).join(',');
    expect(density(`FREQ=DAILY;BYHOUR=${all(24)};BYMINUTE=${all(60)};BYSECOND=${all(60)}`)).toEqual({ perDay: 86_400, minSpacingSeconds: 1 });
  });

  it('refuses a rule denser than the commune, or than its own program allows, naming the setting', () => {
    const limits = { minSpacingMinutes: 5, maxPerDay: 48, programMs: 60_000 };
    expect(() => checkDensity({ perDay: 72, minSpacingSeconds: 1200 }, limits)).toThrow(
      /up to 72 times a day; this commune allows at most 48 \(maxOccurrencesPerDay\)/,
    );
    expect(() => checkDensity({ perDay: 2, minSpacingSeconds: 120 }, limits)).toThrow(/2 min apart; this commune needs at least 5 min/);
    expect(() => checkDensity({ perDay: 2, minSpacingSeconds: 600 }, { ...limits, programMs: 900_000 })).toThrow(/10 min apart but its program lasts 15 min/);
    expect(() => checkDensity({ perDay: 288, minSpacingSeconds: 300 }, { ...limits, maxPerDay: null })).not.toThrow();
  });
});
