/** Which occurrences of two programs would play on the same speaker at the same time. Pure. */

export interface TimedProgram {
  scheduleId: string;
  /** Start instants of its occurrences, in time order. */
  starts: Date[];
  lengthMs: number;
}

export interface ProgramOverlap {
  at: Date;
  otherScheduleId: string;
  otherAt: Date;
  overlapMs: number;
}

/** Every pair (occurrence of `mine`, occurrence of `other`) whose half-open intervals [start, start + length) intersect. */
export function programOverlaps(mine: TimedProgram, other: TimedProgram): ProgramOverlap[] {
  const overlaps: ProgramOverlap[] = [];
  let first = 0;
  for (const start of mine.starts) {
    const end = start.getTime() + mine.lengthMs;
    // Other occurrences that ended before this one starts can never overlap a later one either.
    while (first < other.starts.length && other.starts[first].getTime() + other.lengthMs <= start.getTime()) first++;
    for (let index = first; index < other.starts.length && other.starts[index].getTime() < end; index++) {
      const otherStart = other.starts[index].getTime();
      const overlapMs = Math.min(end, otherStart + other.lengthMs) - Math.max(start.getTime(), otherStart);
      if (overlapMs > 0) overlaps.push({ at: start, otherScheduleId: other.scheduleId, otherAt: other.starts[index], overlapMs });
    }
  }
  return overlaps;
}
