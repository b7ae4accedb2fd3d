/** Where a repeated error is reported: the first time, then at most once per window with how often it recurred. */
export type ErrorReport = (error: Error, repeats: number) => void;

/**
 * A BullMQ worker reports the same connection error every second or so while Redis is away. This keeps the first
 * report of each message and then one per `windowMs` carrying the count of repeats in between, so an outage is
 * visible in the log without burying everything else in it.
 */
export function repeatedErrorLog(report: ErrorReport, windowMs = 30_000, now: () => number = Date.now): (error: Error) => void {
  const seen = new Map<string, { reportedAt: number; repeats: number }>();
  return (error: Error) => {
    const entry = seen.get(error.message);
    const at = now();
    if (entry && at - entry.reportedAt < windowMs) {
      entry.repeats++;
      return;
    }
    report(error, entry?.repeats ?? 0);
    seen.set(error.message, { reportedAt: at, repeats: 0 });
  };
}
