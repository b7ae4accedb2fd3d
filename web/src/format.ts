import { EVIDENCE_LABELS, FAILURE_CODE_LABELS, Label, PLAYBACK_STATUS_LABELS, PRIORITY_LABELS, PROBLEM_KIND_LABELS } from '../../src/playbacks/playback-labels';

/** Vietnamese labels and the commune's clock: every time is shown in the commune's zone, whatever the device's. */
let zone = 'Asia/Ho_Chi_Minh';
let formats = makeFormats(zone);

function makeFormats(timeZone: string) {
  const base = { timeZone, hour12: false } as const;
  return {
    dateTime: new Intl.DateTimeFormat('vi-VN', { ...base, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
    time: new Intl.DateTimeFormat('vi-VN', { ...base, hour: '2-digit', minute: '2-digit' }),
    parts: new Intl.DateTimeFormat('en-CA', {
      ...base,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }),
  };
}

/** Set once after sign-in from the caller's commune (GET /api/communes). */
export function setZone(timeZone: string): void {
  zone = timeZone;
  formats = makeFormats(timeZone);
}

export function currentZone(): string {
  return zone;
}

export function when(value: string | null | undefined): string {
  return value ? formats.dateTime.format(new Date(value)) : '—';
}

/** HH:mm in the commune's zone. */
export function clock(value: string | Date | null | undefined): string {
  return value ? formats.time.format(new Date(value)) : '—';
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of an instant in the commune's zone. */
export function localParts(instant: Date): LocalParts {
  const parts = Object.fromEntries(formats.parts.formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** The instant at which the commune's clock reads this wall time (two passes settle a DST change). */
export function zonedInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let pass = 0; pass < 2; pass++) {
    const seen = localParts(new Date(guess));
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += wall - seenWall;
  }
  return new Date(guess);
}

/** YYYY-MM-DD of an instant in the commune's zone. */
export function localDay(instant: Date): string {
  const { year, month, day } = localParts(instant);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Midnight (commune's zone) of the day `offsetDays` after the local day of `instant`. */
export function startOfLocalDay(instant: Date, offsetDays = 0): Date {
  const { year, month, day } = localParts(instant);
  const shifted = new Date(Date.UTC(year, month - 1, day + offsetDays));
  return zonedInstant(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function lufs(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1).replace('.', ',')} LUFS`;
}

export const ROLE_LABEL: Record<string, string> = {
  admin: 'Quản trị hệ thống',
  editor: 'Biên tập (Văn hóa - Xã hội)',
  approver: 'Lãnh đạo duyệt (UBND xã)',
  operator: 'Vận hành thôn',
  viewer: 'Xem báo cáo',
};

export const BULLETIN_STATUS: Record<string, { label: string; tone: string }> = {
  queued: { label: 'Đang chờ xử lý', tone: 'wait' },
  processing: { label: 'Đang xử lý', tone: 'wait' },
  ready: { label: 'Sẵn sàng', tone: 'info' },
  failed: { label: 'Xử lý lỗi', tone: 'bad' },
  approved: { label: 'Đã duyệt', tone: 'good' },
  rejected: { label: 'Bị từ chối', tone: 'bad' },
  archived: { label: 'Lưu trữ', tone: 'muted' },
};

export const SPEAKER_STATUS: Record<string, { label: string; tone: string }> = {
  online: { label: 'Trực tuyến', tone: 'good' },
  degraded: { label: 'Chập chờn', tone: 'wait' },
  offline: { label: 'Mất kết nối', tone: 'bad' },
  unknown: { label: 'Chưa kiểm tra', tone: 'muted' },
};

export const DRIVER_LABEL: Record<string, string> = {
  'axis-vapix': 'Loa IP Axis (VAPIX)',
  'http-gateway': 'Cổng HTTP (gateway)',
  manual: 'Thủ công (loa dây / FM)',
};

export const OUTCOME_LABEL: Record<string, { label: string; tone: string }> = {
  success: { label: 'Thành công', tone: 'good' },
  failure: { label: 'Thất bại', tone: 'bad' },
  denied: { label: 'Bị từ chối quyền', tone: 'wait' },
};

/** Playback statuses in the shared label table's words (the reports print the same), with the console's tone. */
export const PLAYBACK_STATUS = toned(PLAYBACK_STATUS_LABELS, {
  planned: 'muted',
  queued: 'info',
  dispatching: 'wait',
  playing: 'wait',
  played: 'good',
  failed: 'bad',
  missed: 'bad',
  preempted: 'bad',
  cancelled: 'muted',
});

export const SCHEDULE_STATUS: Record<string, { label: string; tone: string }> = {
  active: { label: 'Đang áp dụng', tone: 'good' },
  paused: { label: 'Tạm dừng', tone: 'wait' },
  cancelled: { label: 'Đã hủy', tone: 'muted' },
  /** Not a stored status: an active one-off once it has aired (ScheduleSummary.finished). */
  finished: { label: 'Đã phát xong', tone: 'muted' },
};

export const PRIORITY = toned(PRIORITY_LABELS, { normal: 'muted', priority: 'info', emergency: 'bad' });

export const PROBLEM_KIND = vietnamese(PROBLEM_KIND_LABELS);

/** Why a playback did not play (a reason code or a driver error's kind), in words an official understands. */
export const FAILURE_REASON = vietnamese(FAILURE_CODE_LABELS);

export const EVIDENCE = vietnamese(EVIDENCE_LABELS);

function vietnamese(table: Record<string, Label>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([code, label]) => [code, label.vi]));
}

function toned<Code extends string>(table: Record<Code, Label>, tones: Record<Code, string>): Record<string, { label: string; tone: string }> {
  return Object.fromEntries(Object.entries<Label>(table).map(([code, label]) => [code, { label: label.vi, tone: tones[code as Code] }]));
}

export function minutes(ms: number): string {
  return (ms / 60_000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
}

export function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`;
}
