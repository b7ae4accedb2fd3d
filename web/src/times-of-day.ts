/**
 * Times of day as people write them, and the one RRULE that airs exactly those times. Pure (no DOM, no clock), so
 * the API's tests use it as the console does.
 */

/** "6h", "6h30", "6g30", "17h30", "17:30", "6:00", "06.00" → "HH:MM"; null when it is not a time of day. */
export function parseTimeOfDay(item: string): string | null {
  const match = /^(\d{1,2})(?:[:h.g](\d{2})?)?$/i.exec(item.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  // "6" alone or "6:" is not a time; "6h" is (Vietnamese for 06:00).
  if ((match[2] === undefined && !/h|g/i.test(item)) || hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The items of a list such as "6h, 17h30" or "06:00; 11:30 17:30" (commas, semicolons or spaces between). */
export function timeItems(text: string): string[] {
  return text.split(/[,;\s]+/).filter(Boolean);
}

/**
 * The RRULE that airs at `times` ("HH:MM", sorted, unique) on the given days. An RRULE crosses BYHOUR with BYMINUTE
 * (06:00 and 17:30 would also give 06:30 and 17:00), so when the times do not fill that cross, BYSETPOS picks
 * their positions among the day's candidates (RFC 5545 §3.3.10): one rule, one schedule, no extra times.
 */
export function timesRule(times: string[], byday: string | null): string {
  const hours = [...new Set(times.map((time) => Number(time.slice(0, 2))))].sort((a, b) => a - b);
  const minutes = [...new Set(times.map((time) => Number(time.slice(3))))].sort((a, b) => a - b);
  const days = byday ? `;BYDAY=${byday}` : '';
  const rule = `FREQ=DAILY${days};BYHOUR=${hours.join(',')};BYMINUTE=${minutes.join(',')};BYSECOND=0`;
  if (hours.length * minutes.length === times.length) return rule;
  const wanted = new Set(times);
  const positions = hours
    .flatMap((hour) => minutes.map((minute) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`))
    .flatMap((candidate, index) => (wanted.has(candidate) ? [index + 1] : []));
  return `${rule};BYSETPOS=${positions.join(',')}`;
}

/** The times of day ("HH:MM", sorted) a DAILY or WEEKLY rule's parts give, BYSETPOS applied. */
export function ruleTimes(parts: Record<string, string>): string[] {
  const hours = (parts.BYHOUR ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
  const minutes = (parts.BYMINUTE ?? '0')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const candidates = hours.flatMap((hour) => minutes.map((minute) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`));
  if (!parts.BYSETPOS) return candidates;
  const picked = parts.BYSETPOS.split(',')
    .map(Number)
    .map((position) => candidates[position > 0 ? position - 1 : candidates.length + position])
    .filter((time): time is string => time !== undefined);
  return [...new Set(picked)].sort();
}
