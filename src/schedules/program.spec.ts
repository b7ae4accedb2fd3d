import { CHIME_MS, formatDuration, programLength, sessionCapProblem } from './program';

describe('program length and the session cap', () => {
  it('sums the bulletins and adds the chime only when asked', () => {
    expect(programLength([60_000, 90_500], false)).toEqual({ totalMs: 150_500, bulletinsMs: 150_500, chimeMs: 0 });
    expect(programLength([60_000, 90_500], true)).toEqual({ totalMs: 150_500 + CHIME_MS, bulletinsMs: 150_500, chimeMs: CHIME_MS });
  });

  it('accepts a program exactly as long as the cap', () => {
    expect(sessionCapProblem(programLength([2_700_000], false), 2700)).toBeNull();
  });

  it('refuses a program one millisecond over the cap, saying both lengths and what to do', () => {
    expect(sessionCapProblem(programLength([2_700_001], false), 2700)).toBe(
      "bulletinIds: the program lasts 45 min 1 s, longer than the commune's session cap of 45 min; " +
        'remove bulletins or ask an admin to raise maxSessionSeconds of the commune',
    );
  });

  it('counts the chime against the cap', () => {
    expect(sessionCapProblem(programLength([2_700_000 - CHIME_MS], true), 2700)).toBeNull();
    expect(sessionCapProblem(programLength([2_700_000], true), 2700)).toMatch(/45 min 5 s \(bulletins 45 min \+ chime 5 s\)/);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59_001)).toBe('1 min');
    expect(formatDuration(2_850_000)).toBe('47 min 30 s');
  });
});
