import { programOverlaps } from './overlaps';

const at = (time: string) => new Date(`2026-01-01T${time}Z`);

describe('program overlaps', () => {
  it('finds programs that intersect and how long they share the speaker', () => {
    const mine = { scheduleId: 'a', starts: [at('06:00:00'), at('17:00:00')], lengthMs: 10 * 60_000 };
    const other = { scheduleId: 'b', starts: [at('06:05:00'), at('12:00:00'), at('16:55:00')], lengthMs: 6 * 60_000 };
    expect(programOverlaps(mine, other)).toEqual([
      { at: at('06:00:00'), otherScheduleId: 'b', otherAt: at('06:05:00'), overlapMs: 5 * 60_000 },
      { at: at('17:00:00'), otherScheduleId: 'b', otherAt: at('16:55:00'), overlapMs: 60_000 },
    ]);
  });

  it('does not count programs that only touch end to start', () => {
    const mine = { scheduleId: 'a', starts: [at('06:00:00')], lengthMs: 60_000 };
    expect(programOverlaps(mine, { scheduleId: 'b', starts: [at('06:01:00'), at('05:59:00')].sort((x, y) => +x - +y), lengthMs: 60_000 })).toEqual([]);
  });

  it('finds one occurrence overlapping several of the other', () => {
    const mine = { scheduleId: 'a', starts: [at('06:00:00')], lengthMs: 30 * 60_000 };
    const other = { scheduleId: 'b', starts: [at('06:10:00'), at('06:20:00')], lengthMs: 60_000 };
    expect(programOverlaps(mine, other).map((overlap) => overlap.otherAt)).toEqual([at('06:10:00'), at('06:20:00')]);
  });
});
