import { clock, localDay, localParts, startOfLocalDay, when, zonedInstant } from './format';
import { t } from './i18n';
import { parseTimeOfDay, ruleTimes, timeItems, timesRule } from './times-of-day';

/** The schedule form's timing, in the commune's wall clock, and what the API takes for it. Pure but for the clock. */
export type Repeat = 'daily' | 'weekdays' | 'once';

export interface Timing {
  repeat: Repeat;
  /** HH:MM, sorted, unique. */
  times: string[];
  /** YYYY-MM-DD, for a one-off. */
  date?: string;
}

export class TimingError extends Error {}

const WEEKDAYS = 'MO,TU,WE,TH,FR';

/** "6h, 17h30" → ["06:00", "17:30"]; see times-of-day.ts for the forms read. */
export function parseTimes(text: string): string[] {
  const times = timeItems(text).map((item) => {
    const time = parseTimeOfDay(item);
    if (!time) throw new TimingError(t('“{item}” không phải giờ hợp lệ; hãy viết dạng 6h, 17h30 hoặc 06:00.', { item }));
    return time;
  });
  if (!times.length) throw new TimingError(t('Hãy nhập ít nhất một giờ phát, ví dụ 06:00.'));
  return [...new Set(times)].sort();
}

/** The request fields for this timing: `startsAt` for a one-off, else an RRULE in the commune's local time. */
export function timingBody(timing: Timing): { startsAt: string } | { rrule: string } {
  if (timing.repeat === 'once') {
    if (!timing.date) throw new TimingError(t('Hãy chọn ngày phát.'));
    if (timing.times.length !== 1) throw new TimingError(t('Phát một lần chỉ có một giờ phát.'));
    const at = onceInstant(timing);
    if (at.getTime() <= Date.now()) throw new TimingError(t('Giờ phát {time} đã qua; hãy chọn giờ sau hiện tại.', { time: when(at.toISOString()) }));
    return { startsAt: at.toISOString() };
  }
  return { rrule: timesRule(timing.times, timing.repeat === 'weekdays' ? WEEKDAYS : null) };
}

/** A stored schedule's timing as the form shows it, or null when its rule is not one the form writes. */
export function timingOf(schedule: { startsAt: string | null; rrule: string | null }): Timing | null {
  if (schedule.startsAt) return { repeat: 'once', times: [clock(schedule.startsAt)], date: localDay(new Date(schedule.startsAt)) };
  const parts = ruleParts(schedule.rrule);
  const known = new Set(['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYSETPOS']);
  if (Object.keys(parts).some((name) => !known.has(name)) || (parts.BYSECOND ?? '0') !== '0' || !parts.BYHOUR) return null;
  const times = ruleTimes(parts);
  if (parts.FREQ === 'DAILY' && !parts.BYDAY) return { repeat: 'daily', times };
  if ((parts.FREQ === 'DAILY' || (parts.FREQ === 'WEEKLY' && !parts.BYSETPOS)) && parts.BYDAY === WEEKDAYS) return { repeat: 'weekdays', times };
  return null;
}

/** The RRULE line's parts of a stored rule ("DTSTART:…\nRRULE:FREQ=…"). */
function ruleParts(rrule: string | null): Record<string, string> {
  const body = /RRULE:([^\n]+)/.exec(rrule ?? '')?.[1] ?? rrule ?? '';
  return Object.fromEntries(body.split(';').map((part) => part.split('=') as [string, string]));
}

function onceInstant(timing: Timing): Date {
  const [year, month, day] = timing.date!.split('-').map(Number);
  const [hour, minute] = timing.times[0].split(':').map(Number);
  return zonedInstant(year, month, day, hour, minute);
}

/** The start instants of this timing in [from, from + days), for the overlap check before saving. */
export function startsWithin(timing: Timing, from: Date, days: number): Date[] {
  if (timing.repeat === 'once') return [onceInstant(timing)];
  const starts: Date[] = [];
  for (let offset = 0; offset < days; offset++) {
    const midnight = startOfLocalDay(from, offset);
    const { year, month, day } = localParts(midnight);
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    if (timing.repeat === 'weekdays' && (weekday === 0 || weekday === 6)) continue;
    for (const time of timing.times) {
      const at = zonedInstant(year, month, day, +time.slice(0, 2), +time.slice(3));
      if (at >= from) starts.push(at);
    }
  }
  return starts;
}

const DAY_NAMES: Record<string, string> = { MO: 'Thứ Hai', TU: 'Thứ Ba', WE: 'Thứ Tư', TH: 'Thứ Năm', FR: 'Thứ Sáu', SA: 'Thứ Bảy', SU: 'Chủ Nhật' };

/** A stored schedule's timing in words: "Hằng ngày 06:00, 17:00", "Thứ Hai – Thứ Sáu 06:00", "Một lần …". */
export function describeTiming(schedule: { startsAt: string | null; rrule: string | null }): string {
  if (schedule.startsAt) return t('Một lần: {time}', { time: when(schedule.startsAt) });
  const body = /RRULE:([^\n]+)/.exec(schedule.rrule ?? '')?.[1] ?? schedule.rrule ?? '';
  const parts = ruleParts(schedule.rrule);
  if (parts.FREQ === 'MINUTELY') return t('Mỗi {n} phút', { n: parts.INTERVAL ?? '1' });
  // BYSETPOS picks among one day's times only in a DAILY rule (times-of-day.ts writes no other).
  if (parts.BYSETPOS && parts.FREQ !== 'DAILY') return body;
  const times = ruleTimes(parts).join(', ');
  if (parts.FREQ === 'DAILY' && !parts.BYDAY && times) return t('Hằng ngày {times}', { times });
  if ((parts.FREQ === 'WEEKLY' || parts.FREQ === 'DAILY') && parts.BYDAY === WEEKDAYS && times) return t('Thứ Hai – Thứ Sáu {times}', { times });
  if ((parts.FREQ === 'WEEKLY' || parts.FREQ === 'DAILY') && parts.BYDAY && times)
    return `${parts.BYDAY.split(',')
      .map((day) => t(DAY_NAMES[day] ?? day))
      .join(', ')} ${times}`;
  return body;
}
