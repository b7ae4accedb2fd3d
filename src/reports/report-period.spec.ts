import { daysIncluded, parseDay, periodLabel, periodOf, periodsBetween } from './report-period';

describe('report periods', () => {
  it('accepts only real calendar days', () => {
    expect(parseDay('2026-11-05')?.toISODate()).toBe('2026-11-05');
    expect(parseDay('2026-02-30')).toBeNull();
    expect(parseDay('2026-11-5')).toBeNull();
    expect(parseDay('2026-11-05T00:00:00Z')).toBeNull();
  });

  it('counts both ends of a range', () => {
    expect(daysIncluded('2026-11-01', '2026-11-30')).toBe(30);
    expect(daysIncluded('2024-01-01', '2024-12-31')).toBe(366);
  });

  it('puts a day in its ISO week (Monday first) and its month', () => {
    expect(periodOf('2026-11-01', 'week')).toBe('2026-10-26'); // a Sunday
    expect(periodOf('2026-11-02', 'week')).toBe('2026-11-02');
    expect(periodOf('2026-11-30', 'month')).toBe('2026-11');
    expect(periodOf('2026-11-30', 'day')).toBe('2026-11-30');
  });

  it('lists every period touching the range, empty ones included', () => {
    expect(periodsBetween('2026-11-01', '2026-11-03', 'day')).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(periodsBetween('2026-11-01', '2026-11-16', 'week')).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
    expect(periodsBetween('2026-10-31', '2026-12-01', 'month')).toEqual(['2026-10', '2026-11', '2026-12']);
  });

  it('labels periods the way a Vietnamese office writes them', () => {
    expect(periodLabel('2026-11-05', 'day')).toBe('05/11/2026');
    expect(periodLabel('2026-11-02', 'week')).toBe('Tuần từ 02/11/2026');
    expect(periodLabel('2026-11', 'month')).toBe('Tháng 11/2026');
  });
});
