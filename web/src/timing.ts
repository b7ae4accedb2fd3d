import { localParts, startOfLocalDay, when, zonedInstant } from './format';
import { t } from './i18n';

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

export function parseTimes(text: string): string[] {
  const times = text
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((item) => {
      const match = /^(\d{1,2})[:hg](\d{2})$/i.exec(item);
      if (!match || +match[1] > 23 || +match[2] > 59) throw new TimingError(t('“{item}” không phải giờ hợp lệ; hãy viết dạng 06:00.', { item }));
      return `${match[1].padStart(2, '0')}:${match[2]}`;
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
  const hours = [...new Set(timing.times.map((time) => +time.slice(0, 2)))];
  const minutes = [...new Set(timing.times.map((time) => +time.slice(3)))];
  // An RRULE crosses BYHOUR with BYMINUTE: 06:00 and 17:30 in one rule would also air at 06:30 and 17:00.
  if (hours.length * minutes.length !== timing.times.length) {
    throw new TimingError(t('Các giờ phát của một lịch phải cùng số phút (vd. 06:00 và 17:00); hãy tạo lịch riêng cho giờ khác.'));
  }
  const days = timing.repeat === 'weekdays' ? `FREQ=WEEKLY;BYDAY=${WEEKDAYS}` : 'FREQ=DAILY';
  return { rrule: `${days};BYHOUR=${hours.join(',')};BYMINUTE=${minutes.join(',')};BYSECOND=0` };
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
  const parts = Object.fromEntries(body.split(';').map((part) => part.split('=') as [string, string]));
  if (parts.FREQ === 'MINUTELY') return t('Mỗi {n} phút', { n: parts.INTERVAL ?? '1' });
  const hours = (parts.BYHOUR ?? '').split(',').filter(Boolean);
  const minutes = (parts.BYMINUTE ?? '0').split(',');
  const times = hours
    .flatMap((hour) => minutes.map((minute) => `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`))
    .sort()
    .join(', ');
  if (parts.FREQ === 'DAILY' && !parts.BYDAY && times) return t('Hằng ngày {times}', { times });
  if (parts.FREQ === 'WEEKLY' && parts.BYDAY === WEEKDAYS && times) return t('Thứ Hai – Thứ Sáu {times}', { times });
  if (parts.FREQ === 'WEEKLY' && parts.BYDAY && times)
    return `${parts.BYDAY.split(',')
      .map((day) => t(DAY_NAMES[day] ?? day))
      .join(', ')} ${times}`;
  return body;
}
